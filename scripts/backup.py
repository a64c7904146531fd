"""Back up and restore the database and the media folder.

    .venv/bin/python scripts/backup.py backup [--to backups/]            (make backup)
    .venv/bin/python scripts/backup.py restore --from backups/20261206-0130 [--yes]   (make restore)
    .venv/bin/python scripts/backup.py compare URL_A URL_B

A backup is a folder named by its UTC time holding `database.dump` (pg_dump custom format: compressed,
restorable table by table with pg_restore) and `media.tar.gz` (the uploaded files: certificates,
attachments, exports). The database is the one DATABASE_URL names and the media folder is MEDIA_ROOT,
both read from the project's settings. `restore` loads a backup into the database DATABASE_URL names,
which must exist and be empty (pg_restore --single-transaction: all or nothing), and unpacks the media
into MEDIA_ROOT; it asks for confirmation unless --yes. `compare` prints the row count and a checksum
of every table in two databases and exits 1 if any differs (the chaos script uses it to prove a
restore).
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import os
import subprocess
import sys
import tarfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stack import ROOT, postgres_tool  # noqa: E402


def _libpq_url(database_url: str) -> str:
    """pg_dump and psycopg read postgresql:// URLs; django-environ also accepts postgres:// and others."""
    for prefix in ("postgres://", "postgresql://", "pgsql://", "psql://"):
        if database_url.startswith(prefix):
            return "postgresql://" + database_url[len(prefix) :]
    raise SystemExit("Backups need PostgreSQL: DATABASE_URL does not name a PostgreSQL database.")


def backup(*, database_url: str, media_root: Path, destination: Path) -> Path:
    """Write database.dump and media.tar.gz into `destination` (created) and return it."""
    destination.mkdir(parents=True, exist_ok=False)
    subprocess.run(
        [postgres_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges"]
        + ["--file", str(destination / "database.dump"), _libpq_url(database_url)],
        check=True,
        timeout=6 * 3600,
    )
    with tarfile.open(destination / "media.tar.gz", "w:gz") as archive:
        if media_root.exists():
            archive.add(media_root, arcname="media")
    manifest = {
        name: hashlib.sha256((destination / name).read_bytes()).hexdigest()
        for name in ("database.dump", "media.tar.gz")
    }
    (destination / "SHA256SUMS").write_text(
        "".join(f"{digest}  {name}\n" for name, digest in manifest.items())
    )
    return destination


def verify(source: Path) -> None:
    for line in (source / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ", 1)
        if hashlib.sha256((source / name).read_bytes()).hexdigest() != digest:
            raise SystemExit(f"{source / name} does not match its checksum: the backup is damaged.")


def restore(*, source: Path, database_url: str, media_root: Path) -> None:
    """Load the dump into an empty database (one transaction) and unpack the media folder."""
    verify(source)
    subprocess.run(
        [
            postgres_tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
        ]
        + ["--dbname", _libpq_url(database_url), str(source / "database.dump")],
        check=True,
        timeout=6 * 3600,
    )
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / "media.tar.gz", "r:gz") as archive:
        for member in archive.getmembers():
            if not member.name.startswith("media"):
                continue
            member.name = member.name.removeprefix("media").lstrip("/")
            if member.name:
                archive.extract(member, media_root, filter="data")


# One row per table: its row count, and an md5 of the sorted md5s of its rows (so row order is irrelevant).
CHECKSUM_QUERY = (
    "SELECT count(*), coalesce(md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))), '') FROM {} t"
)


def table_summary(database_url: str) -> dict[str, tuple[int, str]]:
    """Each table's row count and a checksum of its rows (order-independent)."""
    import psycopg
    from psycopg import sql

    summary = {}
    with psycopg.connect(_libpq_url(database_url)) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        for table in tables:
            query = sql.SQL(CHECKSUM_QUERY).format(sql.Identifier(table))
            count, checksum = connection.execute(query).fetchone()
            summary[table] = (count, checksum)
    return summary


def compare(url_a: str, url_b: str) -> list[dict]:
    first, second = table_summary(url_a), table_summary(url_b)
    return [
        {
            "table": table,
            "rows": first.get(table, (0, ""))[0],
            "rows_restored": second.get(table, (0, ""))[0],
            "same": first.get(table) == second.get(table),
        }
        for table in sorted(set(first) | set(second))
    ]


def _settings():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    database = settings.DATABASES["default"]
    if "postgresql" not in database["ENGINE"]:
        raise SystemExit("Backups need PostgreSQL: set DATABASE_URL.")
    return os.environ["DATABASE_URL"], Path(settings.MEDIA_ROOT)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("backup", help="dump the database and the media folder")
    make.add_argument("--to", type=Path, default=ROOT / "backups", help="parent folder (default backups/)")
    load = commands.add_parser("restore", help="load a backup into DATABASE_URL's (empty) database")
    load.add_argument("--from", dest="source", type=Path, required=True)
    load.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    check = commands.add_parser("compare", help="row counts and checksums of every table in two databases")
    check.add_argument("first")
    check.add_argument("second")
    options = parser.parse_args()

    if options.command == "compare":
        rows = compare(options.first, options.second)
        for row in rows:
            verdict = "same" if row["same"] else "DIFFERENT"
            print(f"{row['table']:<50} {row['rows']:>9} {row['rows_restored']:>9} {verdict}")
        return 0 if all(row["same"] for row in rows) else 1

    database_url, media_root = _settings()
    if options.command == "backup":
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
        destination = backup(database_url=database_url, media_root=media_root, destination=options.to / stamp)
        size = sum(path.stat().st_size for path in destination.iterdir())
        print(f"Backup written to {destination} ({size / 1e6:.1f} MB)")
        return 0
    if not options.yes:
        answer = input(
            f"Restore {options.source} into {database_url.rsplit('@', 1)[-1]} and {media_root}? [y/N] "
        )
        if answer.strip().lower() != "y":
            print("Nothing restored.")
            return 1
    restore(source=options.source, database_url=database_url, media_root=media_root)
    print(f"Restored {options.source}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
