"""A private copy of the production stack for the chaos and load scripts: its own PostgreSQL (initdb into
a temporary folder), its own Redis, gunicorn, Celery worker and beat, each on a free port at 127.0.0.1,
so they can be killed and restarted without touching anything else on the machine.

Nothing here listens anywhere but 127.0.0.1, and every wait is bounded.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
HOST = "127.0.0.1"
# Where migrated template databases are kept between runs (one per set of migrations and packages).
TEMPLATE_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "mentorbridge-stack"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_for(what: str, check, timeout: float, step: float = 0.2):
    """Call check() until it returns something true, for at most `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = check()
        except Exception:  # noqa: BLE001 - not up yet
            result = None
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not happen within {timeout:.0f}s")
        time.sleep(step)


def postgres_tool(name: str) -> str:
    """The newest installed PostgreSQL's binary (Debian keeps them out of PATH), else PATH's."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda path: int(path.split("/")[4]))
    if found:
        return found[-1]
    path = shutil.which(name)
    if not path:
        raise SystemExit(f"{name} is not installed (Debian: apt-get install postgresql)")
    return path


def port_answers(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((HOST, port)) == 0


def site_answers(port: int) -> bool:
    """Whether a gunicorn worker answers /healthz with 200 (the database and the broker answer too)."""
    import http.client

    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        connection.request("GET", "/healthz")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


class Postgres:
    """A throw-away cluster. PostgreSQL refuses to run as root, so as root it runs as `postgres`."""

    def __init__(self, workdir: Path, name: str = "postgres"):
        self.port = free_port()
        self.datadir = workdir / f"{name}-{self.port}"
        self.log = workdir / f"{name}-{self.port}.log"

    def _as_owner(self, command: list[str]) -> list[str]:
        return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command

    def init(self) -> Postgres:
        self.datadir.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(self.datadir.parent, "postgres")
            shutil.chown(self.datadir, "postgres")
        subprocess.run(
            self._as_owner(
                [
                    postgres_tool("initdb"),
                    "-D",
                    str(self.datadir),
                    "-U",
                    "postgres",
                    "-A",
                    "trust",
                    "-E",
                    "UTF8",
                ]
                + ["--no-sync", "--locale=C.UTF-8"]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
            timeout=120,
        )
        return self

    def init_from(self, template: Path) -> Postgres:
        """A copy of a stopped cluster (already migrated): much faster than initdb and migrate."""
        subprocess.run(["cp", "-a", str(template), str(self.datadir)], check=True, timeout=300)
        return self

    def start(self, *, durable: bool = True) -> None:
        """`durable=False` skips fsync, for a cluster whose only job is to be copied once stopped (a
        clean stop writes everything out; only a crash of the machine would lose it)."""
        options = (
            f"-p {self.port} -c listen_addresses={HOST} -k {self.datadir} -c max_connections=300 "
            "-c shared_buffers=128MB"
        )
        if not durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        subprocess.run(
            self._as_owner(
                [postgres_tool("pg_ctl"), "-D", str(self.datadir), "-o", options, "-l", str(self.log), "-w"]
                + ["-t", "60", "start"]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
            timeout=90,
        )

    def stop(self, mode: str = "fast") -> None:
        """mode "immediate" is a crash: no checkpoint, clients cut off, recovery from the WAL at start."""
        subprocess.run(
            self._as_owner(
                [postgres_tool("pg_ctl"), "-D", str(self.datadir), "-m", mode, "-w", "-t", "60", "stop"]
            ),
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=90,
        )

    def url(self, database: str) -> str:
        return f"postgres://postgres@{HOST}:{self.port}/{database}"

    def create_database(self, database: str) -> str:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{database}"')
        return self.url(database)


class Redis:
    """A private Redis: with `persistent`, every write is appended to disk and fsynced (appendonly,
    appendfsync always), so a restart keeps the queue; without, a restart starts empty."""

    def __init__(self, workdir: Path, *, persistent: bool):
        self.port = free_port()
        self.persistent = persistent
        self.dir = workdir / f"redis-{self.port}"
        self.dir.mkdir(parents=True)
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", HOST, "--dir", str(self.dir)]
        command += ["--save", "", "--protected-mode", "yes", "--logfile", str(self.dir / "redis.log")]
        command += (
            ["--appendonly", "yes", "--appendfsync", "always"] if self.persistent else ["--appendonly", "no"]
        )
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, start_new_session=True)
        wait_for("Redis", lambda: port_answers(self.port), 30)

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=30)

    @property
    def url(self) -> str:
        return f"redis://{HOST}:{self.port}/0"


class Service:
    """A process group (gunicorn, a Celery worker or beat) that can be killed as a whole."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], log: Path):
        self.name, self.command, self.env, self.log = name, command, env, log
        self.process: subprocess.Popen | None = None
        # Held while (re)starting or killing, so a restart and a kill from two threads never race.
        self.lock = threading.RLock()

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> Service:
        with self.lock:
            if self.running:
                return self
            handle = open(self.log, "ab")  # noqa: SIM115 - closed with the process
            self.process = subprocess.Popen(
                self.command,
                cwd=ROOT,
                env=self.env,
                stdout=handle,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def kill(self, sig: int = signal.SIGKILL, timeout: float = 30) -> None:
        """Signal the whole group (the Celery or gunicorn parent and its children) and wait for it."""
        with self.lock:
            if self.process is None or self.process.poll() is not None:
                return
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)

    def stop(self) -> None:
        self.kill(signal.SIGTERM, timeout=20)


class Stack:
    """PostgreSQL, Redis, and the project's processes configured against them."""

    def __init__(
        self,
        *,
        persistent_redis: bool = False,
        settings: dict[str, str] | None = None,
        keep=False,
        template: Path | None = None,
    ):
        self.workdir = Path(tempfile.mkdtemp(prefix="mentorbridge-stack-"))
        self.keep = keep
        self.template = template
        self.postgres = Postgres(self.workdir)
        self.redis = Redis(self.workdir, persistent=persistent_redis)
        self.mail_dir = self.workdir / "mail"
        self.mail_dir.mkdir()
        self.media_dir = self.workdir / "media"
        self.media_dir.mkdir()
        self.settings = settings or {}
        self.services: list[Service] = []
        self.web_port = free_port()

    def __enter__(self) -> Stack:
        if self.template:
            if os.geteuid() == 0:
                shutil.chown(self.workdir, "postgres")
            self.postgres.init_from(self.template)
            self.postgres.start()
            database_url = self.postgres.url("mentorbridge")
        else:
            self.postgres.init()
            self.postgres.start()
            database_url = self.postgres.create_database("mentorbridge")
        self.redis.start()
        self.env = {
            **{
                key: value
                for key, value in os.environ.items()
                if not key.startswith(("DATABASE_", "CELERY_"))
            },
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DEBUG": "false",
            "SECRET_KEY": "private-stack-only-" + os.urandom(8).hex(),
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": self.redis.url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "EMAIL_FILE_PATH": str(self.mail_dir),
            "MEDIA_ROOT": str(self.media_dir),
            "SITE_URL": f"http://{HOST}:{self.web_port}",
            "LOG_LEVEL": "WARNING",
            "PYTHONDONTWRITEBYTECODE": "1",
            **self.settings,
        }
        os.environ.update(self.env)  # this process reads and writes the same database
        sys.path.insert(0, str(ROOT))
        return self

    def __exit__(self, *exc) -> None:
        for service in reversed(self.services):
            service.kill()
        self.redis.kill()
        self.postgres.stop("immediate")
        if not self.keep:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def _service(self, name: str, command: list[str]) -> Service:
        service = Service(name, command, self.env, self.workdir / f"{name}.log")
        self.services.append(service)
        return service.start()

    def worker(self, concurrency: int = 2) -> Service:
        return self._service(
            "worker",
            [str(BIN / "celery"), "-A", "config", "worker", "-l", "WARNING", "-c", str(concurrency)]
            + ["--without-gossip", "--without-mingle", "-n", f"chaos-{os.getpid()}@%h"],
        )

    def beat(self) -> Service:
        return self._service(
            "beat",
            [str(BIN / "celery"), "-A", "config", "beat", "-l", "WARNING"]
            + ["-s", str(self.workdir / "beat-schedule")],
        )

    def gunicorn(self, workers: int = 3, threads: int = 1) -> Service:
        service = self._service(
            "gunicorn",
            [str(BIN / "gunicorn"), "config.wsgi", "-b", f"{HOST}:{self.web_port}", "-w", str(workers)]
            + [
                "--threads",
                str(threads),
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
                "--log-level",
                "warning",
            ],
        )
        wait_for("gunicorn", lambda: port_answers(self.web_port), 60)
        # The port is open as soon as the master binds it; the workers answer only once they have loaded
        # the site. Faults start when a request is answered, not while every worker is still starting.
        wait_for("gunicorn's workers", lambda: site_answers(self.web_port), 120)
        return service


def restart(service: Service) -> Service:
    with service.lock:
        service.kill()
        return service.start()


def manage(env: dict[str, str], *args: str, timeout: float = 600) -> None:
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=timeout)


def migrated_template(workdir: Path) -> Path:
    """A stopped cluster in `workdir` whose database `mentorbridge` is migrated, for Stack(template=...)."""
    postgres = Postgres(workdir, name="template").init()
    postgres.start(durable=False)
    try:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DATABASE_URL": postgres.create_database("mentorbridge"),
            "LOG_LEVEL": "WARNING",
        }
        manage(env, "migrate", "--noinput", "-v", "0", timeout=1800)
    finally:
        postgres.stop("fast")
    return postgres.datadir


def template_key() -> str:
    """What a migrated database depends on: every migration file here, the installed packages (their
    own migrations) and the PostgreSQL that made it."""
    import hashlib
    from importlib import metadata

    digest = hashlib.sha256(postgres_tool("initdb").encode())
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    for name, version in sorted((dist.metadata["Name"], dist.version) for dist in metadata.distributions()):
        digest.update(f"{name}=={version}\n".encode())
    return digest.hexdigest()[:16]


def cached_template(cache: Path, scratch: Path) -> tuple[Path, bool]:
    """A migrated cluster for Stack(template=...): the copy in `cache` made for these migrations and
    packages if there is one, else migrated now (in `scratch`) and kept there for the next run (kept
    ones unused for a week go). Returns the cluster and whether it came from the cache."""
    key = template_key()
    kept = cache / f"template-{key}"
    if (kept / "PG_VERSION").exists():
        os.utime(kept)
        return kept, True
    template = migrated_template(scratch)
    cache.mkdir(parents=True, exist_ok=True)
    week_ago = time.time() - 7 * 24 * 3600
    for old in cache.glob("template-*"):  # other branches' migrations, unless used this week
        if old.stat().st_mtime < week_ago:
            shutil.rmtree(old, ignore_errors=True)
    partial = cache / f"partial-{key}-{os.getpid()}"
    subprocess.run(["cp", "-a", str(template), str(partial)], check=True, timeout=300)
    subprocess.run(["sync", "-f", str(partial)], check=False, timeout=120)  # it was made without fsync
    try:
        partial.rename(kept)  # only a complete copy is ever found under its key
    except OSError:  # another run kept the same one meanwhile
        shutil.rmtree(partial, ignore_errors=True)
    return kept, False
