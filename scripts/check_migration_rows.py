#!/usr/bin/env python3
"""Check that the migrations moving models between apps keep every row.

Checks out an old commit (by default the one before the `programmes` app appeared, the start of
the move of programmes and recruitment out of mentoring and accounts) into a temporary worktree,
migrates a fresh SQLite database there and fills it with `load_demo_data`, counts the rows of every
table, then migrates the same database forward with this checkout's migrations and counts again.
Fails (exit status 1) when a table lost rows or disappeared; tables that appear or grow (new models,
their content types and permissions) are listed.

Usage: python scripts/check_migration_rows.py [--old REF] [--mentees N] [--keep]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"


def git(*args: str) -> str:
    command = ["git", *args]
    return subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()  # noqa: S603


def default_old_ref() -> str:
    added = git("log", "--diff-filter=A", "--format=%H", "--", "programmes/apps.py").splitlines()
    if not added:
        sys.exit("Cannot find the commit that added programmes/apps.py: pass --old REF.")
    return f"{added[-1]}^"


def manage(checkout: Path, database: Path, *args: str) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # each checkout's manage.py picks its own settings
    command = [str(PYTHON), "manage.py", *args]
    subprocess.run(command, cwd=checkout, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603


def row_counts(database: Path) -> dict[str, int]:
    connection = sqlite3.connect(database)
    try:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "ORDER BY name"
            )
        ]
        counts = {}
        for table in tables:  # names read from sqlite_master, not from input
            query = f'SELECT COUNT(*) FROM "{table}"'  # noqa: S608  # nosec B608
            counts[table] = connection.execute(query).fetchone()[0]
        return counts
    finally:
        connection.close()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", help="the commit with the old layout (default: before programmes/ appeared)")
    parser.add_argument("--mentees", type=int, default=60, help="demo size (default %(default)s mentees)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary worktree and database")
    options = parser.parse_args(argv)
    old = git("rev-parse", "--short", options.old or default_old_ref())
    work = Path(tempfile.mkdtemp(prefix="migration-rows-"))
    checkout = work / "old"
    database = work / "demo.sqlite3"
    git("worktree", "add", "--detach", str(checkout), old)
    try:
        print(f"Old layout: {old}. Migrating a fresh database there and loading the demo data...")
        manage(checkout, database, "migrate", "--noinput")
        manage(checkout, database, "load_demo_data", "--seed", "42", "--mentees", str(options.mentees))
        before = row_counts(database)
        print(f"{len(before)} tables, {sum(before.values())} rows. Migrating forward with this checkout...")
        manage(ROOT, database, "migrate", "--noinput")
        after = row_counts(database)
    finally:
        if not options.keep:
            git("worktree", "remove", "--force", str(checkout))
    lost = {
        table: (count, after.get(table)) for table, count in before.items() if after.get(table, -1) < count
    }
    grew = {
        table: (before.get(table, 0), count) for table, count in after.items() if count > before.get(table, 0)
    }
    print(f"{'table':<48} {'before':>8} {'after':>8}")
    for table, count in before.items():
        if count:
            print(f"{table:<48} {count:>8} {after.get(table, 'gone')!s:>8}")
    for table, (was, now) in sorted(grew.items()):
        print(f"grew or new: {table} {was} -> {now}")
    for table, (was, now) in sorted(lost.items()):
        print(f"LOST ROWS: {table} {was} -> {'table gone' if now is None else now}")
    print(
        f"{len(before)} tables before, {len(after)} after; {sum(before.values())} rows before, "
        f"{sum(after.values())} after; {len(lost)} table(s) lost rows"
    )
    if options.keep:
        print(f"Kept {work}")
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
