"""Persona fixtures shared by every test.

Two youth partners, A and B. At A: a coordinator, a DSL, a mentor with two mentees (one under 16,
one over 18). At B: a coordinator and a mentee with a different mentor. Plus programme staff,
a funder and an anonymous visitor. Charlie (partner B) should have no access to Alice's (partner A) people.
"""

import copy
import fcntl
import gc
import hashlib
import json
import os
import sqlite3
import tempfile
import time
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from accounts.models import Role
from accounts.tests.factories import (
    MenteeProfileFactory,
    MentorProfileFactory,
    RoleAssignmentFactory,
    UserFactory,
)
from mentoring.models import Programme, YouthPartner
from mentoring.tests.factories import (
    CohortFactory,
    ProgrammeFactory,
    RelationshipFactory,
    YouthPartnerFactory,
)


def pytest_report_header(config):
    """Say which database the suite runs on: SQLite locally, PostgreSQL in CI."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    return f"database: {database['ENGINE'].rsplit('.', 1)[-1]} ({database.get('HOST') or 'local file'})"


# The time budget (`time_budget` in pyproject.toml): a test may use that many seconds of CPU time, counting
# its call and the set-up of its function-scoped fixtures (not the database or data shared by a module,
# which the first test of a worker would otherwise pay for). CPU time of this process and of the
# subprocesses it waited for, not wall-clock time, so a machine busy with other work does not fail tests.
_SETUP_CPU = pytest.StashKey[float]()
_CALL_CPU = pytest.StashKey[float]()
_CALL_CHILDREN_CPU = pytest.StashKey[float]()
_CALL_FULL_GC_CPU = pytest.StashKey[float]()


def pytest_addoption(parser):
    parser.addini("time_budget", "CPU seconds a single test may take; 0 switches the check off", default="0")
    parser.addoption(
        "--time-budget",
        type=float,
        default=None,
        metavar="SECONDS",
        help="CPU seconds a single test may take (default: time_budget in pyproject.toml; 0: no check)",
    )


def _cpu_seconds() -> float:
    """CPU time of this process and of the subprocesses it waited for, less the time spent in full
    garbage collections: a full collection walks every object the worker holds, so its cost depends on
    everything that ran before in the worker, not on the test it happens to fall in (on a busy machine one
    can take seconds)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system - _full_gc_cpu


_full_gc_cpu = 0.0
_full_gc_started: float | None = None


def _time_full_collections(phase: str, info: dict) -> None:
    global _full_gc_cpu, _full_gc_started
    if info.get("generation") != 2:
        return
    if phase == "start":
        _full_gc_started = time.process_time()
    elif _full_gc_started is not None:
        _full_gc_cpu += time.process_time() - _full_gc_started
        _full_gc_started = None


gc.callbacks.append(_time_full_collections)

# Full collections after every 1,000 collections of the middle generation rather than every 10. With
# Python's default a test process ran a full collection about every second of work, each walking every
# object the worker holds (the ORM's, the URLconf's, the templates'), and they were a tenth of its CPU
# time; the young generations are collected as before, so short-lived cycles are freed as soon as
# before and only garbage that survived two collections waits longer. Measured on
# mentoring/tests/test_views.py and evaluation/tests/test_impact_figures.py in one process, the two
# thresholds run side by side: 44 full collections and 5.5 s of collecting in 39.5 s of CPU, against 5
# and 1.9 s in 36.0 s. The price is memory: the largest worker of a whole run held 1.15 GB, not 0.59 GB.
gc.set_threshold(700, 10, 1000)


def _time_budget(config) -> float:
    option = config.getoption("--time-budget")
    return float(config.getini("time_budget")) if option is None else option


@pytest.hookimpl(trylast=True)  # after pytest-django's order and tests/browser/conftest.py's markers
def pytest_collection_modifyitems(config, items):
    without_reason = [
        item.nodeid
        for item in items
        if (marker := item.get_closest_marker("slow_ok")) is not None
        and not (marker.kwargs.get("reason") or marker.args)
    ]
    if without_reason:
        raise pytest.UsageError(f"slow_ok needs a reason: slow_ok(reason=...) on {without_reason}")
    _long_modules_first(items, _recorded_durations(config))


# Each test's duration (set-up, call and tear-down, in seconds of wall-clock time) in the last run that ran
# it, kept in pytest's cache (.pytest_cache/, which git ignores) so the next run can start the longest
# tests that commit first (`_long_modules_first`). A test the cache does not know (a fresh clone, a run with
# `-p no:cacheprovider`) takes its duration from `tests/durations.json`, the durations of a full run on
# PostgreSQL committed with the code (`make durations` writes it from the cache), and keeps the order
# collected only if it is in neither.
_DURATIONS_KEY = "mentorbridge/durations"
DURATIONS_FILE = Path(__file__).resolve().parent / "tests" / "durations.json"


def _cached_durations(config) -> dict[str, float]:
    cache = getattr(config, "cache", None)
    return cache.get(_DURATIONS_KEY, {}) if cache is not None else {}


def _committed_durations() -> dict[str, float]:
    try:
        return json.loads(DURATIONS_FILE.read_text())
    except FileNotFoundError:
        return {}


def _recorded_durations(config) -> dict[str, float]:
    return {**_committed_durations(), **_cached_durations(config)}


class _DurationRecorder:
    """Adds up each test's phases and keeps them for the next run: in an xdist run the controller sees
    every worker's reports, so it alone records."""

    def __init__(self, config):
        self.config = config
        self.durations: dict[str, float] = {}

    def pytest_runtest_logreport(self, report):
        self.durations[report.nodeid] = self.durations.get(report.nodeid, 0.0) + report.duration

    def pytest_sessionfinish(self, session):
        if self.durations:
            self.config.cache.set(_DURATIONS_KEY, {**_cached_durations(self.config), **self.durations})


def pytest_configure(config):
    if getattr(config, "cache", None) is not None and not hasattr(config, "workerinput"):
        config.pluginmanager.register(_DurationRecorder(config), "mentorbridge-durations")


def _is_long(item) -> bool:
    return item.get_closest_marker("slow_ok") is not None or item.get_closest_marker("browser") is not None


def _database_stage(item) -> int:
    """0 a test without the database, 1 a test that rolls back, 2 a test that commits. Tests that commit
    empty every table after them (rows the data migrations added included), so they run after the tests
    that roll back, as pytest-django and Django order them. Tests without the database may run at any
    time: they run before the others."""
    if _is_transactional(item):
        return 2
    cls = getattr(item, "cls", None)
    if cls is not None:
        from django.test import TransactionTestCase

        if issubclass(cls, TransactionTestCase):
            return 1
    uses_db = item.get_closest_marker("django_db") is not None or "db" in getattr(item, "fixturenames", ())
    return 1 if uses_db else 0


def _long_modules_first(items, durations=None):
    """The order tests run in: by `_database_stage`, and within a stage the modules holding tests marked
    slow_ok or browser first, those with the largest share of such tests first, otherwise in the order
    collected, each module's tests together; but the first test that needs the database goes first of all,
    so the worker that runs it migrates the test database while the others run the tests without one.
    The tests that commit (the browser tests) run last and share no module data, so among them those that
    took longest in the last run (`durations`, by node id) go first, whatever their module.
    `make test` has xdist hand out one test at a time in this order to whichever worker is free
    (`--dist load --maxschedchunk 1`): the long tests start early on every worker and short ones fill in
    at the end, instead of one worker being left alone with a long test while the others have finished."""
    durations = durations or {}
    counts: dict[str, list[int]] = {}  # module: [its position in the collection, its tests, its long tests]
    for item in items:
        count = counts.setdefault(item.nodeid.split("::", 1)[0], [len(counts), 0, 0])
        count[1] += 1
        count[2] += _is_long(item)

    def order(item):
        position, tests, long_tests = counts[item.nodeid.split("::", 1)[0]]
        stage = _database_stage(item)
        took = durations.get(item.nodeid, 0.0) if stage == 2 else 0.0
        return (stage, -took, -long_tests / tests, position)

    items.sort(key=order)
    first_with_database = next((i for i, item in enumerate(items) if _database_stage(item) == 1), None)
    if first_with_database:
        items.insert(0, items.pop(first_with_database))


# CPU time spent setting up fixtures shared beyond one test (the test database, module data), which a
# function-scoped fixture may trigger (pytest-django's `db` asks for the session's database): not the test's.
_shared_setup_cpu = 0.0
_function_setup_depth = 0


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    global _shared_setup_cpu, _function_setup_depth
    start = _cpu_seconds()
    if fixturedef.scope != "function":
        try:
            return (yield)
        finally:
            _shared_setup_cpu += _cpu_seconds() - start
    shared_before = _shared_setup_cpu
    _function_setup_depth += 1
    try:
        return (yield)
    finally:
        _function_setup_depth -= 1
        if _function_setup_depth == 0:  # a fixture set up inside another is counted once, by the outer one
            own = _cpu_seconds() - start - (_shared_setup_cpu - shared_before)
            stash = request.node.stash
            stash[_SETUP_CPU] = stash.get(_SETUP_CPU, 0.0) + own


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    start, children, full_gc = _cpu_seconds(), _children_cpu_seconds(), _full_gc_cpu
    try:
        return (yield)
    finally:
        item.stash[_CALL_CPU] = _cpu_seconds() - start
        item.stash[_CALL_CHILDREN_CPU] = _children_cpu_seconds() - children
        item.stash[_CALL_FULL_GC_CPU] = _full_gc_cpu - full_gc


def _children_cpu_seconds() -> float:
    times = os.times()
    return times.children_user + times.children_system


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if call.when != "call" or not report.passed:
        return report
    budget = _time_budget(item.config)
    if not budget or item.get_closest_marker("browser") or item.get_closest_marker("slow_ok"):
        return report
    setup, used = item.stash.get(_SETUP_CPU, 0.0), item.stash.get(_CALL_CPU, 0.0)
    if setup + used > budget:
        report.outcome = "failed"
        report.longrepr = (
            f"Over the time budget: {setup + used:.2f}s of CPU time (set-up {setup:.2f}s, call {used:.2f}s, "
            f"{call.duration:.2f}s wall-clock for the call; the call's subprocesses "
            f"{item.stash.get(_CALL_CHILDREN_CPU, 0.0):.2f}s, full garbage collections not counted "
            f"{item.stash.get(_CALL_FULL_GC_CPU, 0.0):.2f}s), budget {budget:g}s "
            "(time_budget in pyproject.toml). "
            "Share the data it builds (a module-scoped fixture, setUpTestData), make the code faster, "
            "or mark it @pytest.mark.slow_ok(reason=...) saying why it must be slow."
        )
    return report


# The test database is migrated once per run, not once per xdist worker: the first worker to take a file
# lock migrates a template database (test_<name>, or a file for SQLite), and every worker clones it for itself
# (PostgreSQL: CREATE DATABASE test_<name>_gwN TEMPLATE test_<name>; SQLite: the file copied into the worker's
# in-memory database; the worker that migrates it does so in its own in-memory database and writes that to the
# file). Migrating costs about 20 s of CPU; a clone a fraction of a second. Without xdist, or
# with --reuse-db (each worker keeps its own database), pytest-django's own set-up runs.


def _template_key(settings_dict) -> str:
    """Names this checkout's template for this database server (two checkouts never share one)."""
    where = [settings_dict[key] for key in ("ENGINE", "HOST", "PORT", "NAME")]
    where.append(str(Path(__file__).resolve().parent))
    return hashlib.sha256(repr(where).encode()).hexdigest()[:16]


@contextmanager
def _template_lock(key: str):
    """Held by one worker at a time: while it builds the template, and while each worker clones it (a
    PostgreSQL template cannot be copied while another connection uses it)."""
    with open(Path(tempfile.gettempdir()) / f"pytest-db-template-{key}.lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            lock.seek(0)
            yield lock
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _sqlite_template_path(key: str) -> Path:
    return Path(tempfile.gettempdir()) / f"pytest-db-template-{key}.sqlite3"


def _clone_from_template(alias: str, worker: str, run: str, verbosity: int, serialize: bool) -> str:
    """Give this worker its own copy of the run's migrated template database; returns the NAME to restore."""
    from django.conf import settings
    from django.db import connections

    connection = connections[alias]
    creation = connection.creation
    old_name = connection.settings_dict["NAME"]
    test_settings = connection.settings_dict["TEST"]
    worker_test_name = test_settings.get("NAME")
    key = _template_key(connection.settings_dict)
    in_memory = connection.vendor == "sqlite" and creation.is_in_memory_db(creation._get_test_db_name())
    if in_memory:
        template_name = str(_sqlite_template_path(key))
    else:  # pytest-django has put the worker's suffix on the test database's name
        template_name = creation._get_test_db_name().removesuffix(f"_{worker}")
    with _template_lock(key) as lock:
        test_settings["NAME"] = template_name
        try:
            built_here = False
            if lock.read() != run:  # no worker has built this run's template yet
                if in_memory:
                    # Migrated in this worker's own database, in memory, then written to the template's
                    # file: a file migrated in place waits for the disk at each migration's commit.
                    test_settings["NAME"] = worker_test_name
                    creation.create_test_db(verbosity=verbosity, autoclobber=True, serialize=False)
                    for path in (
                        Path(template_name),
                        Path(f"{template_name}-wal"),
                        Path(f"{template_name}-shm"),
                    ):
                        path.unlink(missing_ok=True)
                    template = sqlite3.connect(template_name)
                    try:
                        connection.connection.backup(template)
                    finally:
                        template.close()
                    built_here = True
                else:
                    creation.create_test_db(verbosity=verbosity, autoclobber=True, serialize=False)
                    connection.close()
                lock.seek(0)
                lock.truncate()
                lock.write(run)
                lock.flush()
            if in_memory and not built_here:
                test_settings["NAME"] = worker_test_name
                name = creation._get_test_db_name()
                settings.DATABASES[alias]["NAME"] = connection.settings_dict["NAME"] = name
                connection.ensure_connection()
                template = sqlite3.connect(template_name)
                try:
                    template.backup(connection.connection)
                finally:
                    template.close()
            elif not in_memory:
                settings.DATABASES[alias]["NAME"] = connection.settings_dict["NAME"] = template_name
                creation.clone_test_db(suffix=worker, verbosity=verbosity, keepdb=False)
                name = creation.get_test_db_clone_settings(worker)["NAME"]
                connection.close()
                settings.DATABASES[alias]["NAME"] = connection.settings_dict["NAME"] = name
        finally:
            test_settings["NAME"] = worker_test_name
    if serialize:  # for tests with serialized_rollback, as create_test_db would have done
        connection._test_serialized_contents = creation.serialize_db_to_string()
    return old_name


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_use_migrations,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
):
    """pytest-django's fixture of the same name, but an xdist worker clones a template migrated once."""
    from django.db import connections
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup

    verbosity = request.config.option.verbose
    if not django_db_use_migrations:
        _disable_migrations()
    keepdb = django_db_keepdb and not django_db_createdb
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    workerinput = getattr(request.config, "workerinput", None)
    if workerinput is None or keepdb:
        with django_db_blocker.unblock():
            db_cfg = setup_databases(
                verbosity=verbosity,
                interactive=False,
                aliases=aliases,
                serialized_aliases=serialized_aliases,
                keepdb=keepdb,
            )
        yield
        if not django_db_keepdb:
            with django_db_blocker.unblock():
                teardown_databases(db_cfg, verbosity=verbosity)
        return
    with django_db_blocker.unblock():
        worker, run = workerinput["workerid"], workerinput["testrunuid"]
        old_names = {
            alias: _clone_from_template(alias, worker, run, verbosity, alias in serialized_aliases)
            for alias in aliases
        }
    yield
    with django_db_blocker.unblock():
        for alias, old_name in old_names.items():
            connections[alias].creation.destroy_test_db(old_name, verbosity)


def pytest_sessionfinish(session):
    """The xdist controller drops the run's template databases once every worker has finished."""
    config = session.config
    if hasattr(config, "workerinput") or not config.pluginmanager.has_plugin("dsession"):
        return
    if config.getoption("reuse_db", False) and not config.getoption("create_db", False):
        return
    from django.db import connections
    from pytest_django.plugin import blocking_manager_key

    for connection in connections.all(initialized_only=False):
        key = _template_key(connection.settings_dict)
        with _template_lock(key) as lock, config.stash[blocking_manager_key].unblock():
            if not lock.read():
                continue
            creation = connection.creation
            if connection.vendor != "sqlite":
                try:
                    creation._destroy_test_db(creation._get_test_db_name(), verbosity=0)
                except Exception as error:  # noqa: BLE001 - a template left behind is dropped by the next run
                    warnings.warn(f"Could not drop the template test database: {error!r}", stacklevel=1)
            else:
                in_memory = creation.is_in_memory_db(creation._get_test_db_name())
                template = _sqlite_template_path(key) if in_memory else Path(creation._get_test_db_name())
                for path in (template, Path(f"{template}-wal"), Path(f"{template}-shm")):
                    path.unlink(missing_ok=True)
            lock.seek(0)
            lock.truncate()


# What the post_migrate handlers write after a flush (django.contrib.contenttypes and auth): one row per
# model and per model permission, the same rows whatever a test did, so a test that commits leaves them.
_KEPT_BY_FLUSH = frozenset({"django_content_type", "auth_permission"})


def _sql_flush_of_used_tables(style, connection, reset_sequences=True, allow_cascade=False):
    """Django's `sql_flush` for the flush after each test that commits, without the work that changes
    nothing: only the tables holding a row (one query asks them all), and on PostgreSQL DELETE rather than
    TRUNCATE, which makes new files for every table it names and so took seconds a test; every foreign key
    Django makes there is deferred, so the order of the deletes does not matter. The content types and
    permissions stay (`_KEPT_BY_FLUSH`): post_migrate, which the flush sends next, would write them again
    one by one. What a test sees afterwards is as before: every other table empty, sequences not reset."""
    from django.core.management import sql

    if reset_sequences:  # every table's sequence is reset: Django's own flush
        return sql.sql_flush(style, connection, reset_sequences=True, allow_cascade=allow_cascade)
    tables = [
        table
        for table in connection.introspection.django_table_names(only_existing=True, include_views=False)
        if table not in _KEPT_BY_FLUSH
    ]
    quote = connection.ops.quote_name  # the names are Django's own tables', quoted
    with connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join(
                f"SELECT {index} FROM (SELECT 1 FROM {quote(table)} LIMIT 1) AS used{index}"  # noqa: S608
                for index, table in enumerate(tables)
            )
        )
        used = [tables[index] for (index,) in cursor.fetchall()]
    if not used:
        return []
    if connection.vendor != "postgresql":
        return connection.ops.sql_flush(style, used, reset_sequences=False, allow_cascade=allow_cascade)
    return [f"DELETE FROM {quote(table)};" for table in used]  # noqa: S608


@pytest.fixture(scope="session", autouse=True)
def _flush_only_used_tables():
    """Tests that commit (the browser tests, `transactional_db`) are followed by a flush of the database:
    `_sql_flush_of_used_tables` does the same in a fraction of the time."""
    from django.core.management.commands import flush

    original = flush.sql_flush
    flush.sql_flush = _sql_flush_of_used_tables
    yield
    flush.sql_flush = original


@pytest.fixture(scope="session", autouse=True)
def _warm_process():
    """Pay once per worker, as shared set-up, what the first request of a process pays whatever it asks
    for: importing every view module through the URLconf (WeasyPrint and allauth's MFA among them) and
    loading the template engines' tag libraries. Otherwise the first test a worker runs is charged
    about 2 s of CPU time that is not its own."""
    from django.template import engines
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports config.urls and every module it includes
    get_resolver().reverse_dict  # noqa: B018 - builds the lookup tables reverse() uses
    engines.all()
    import weasyprint  # noqa: F401 - PDF views import it lazily in places

    # What is loaded now lives as long as the worker: kept out of the full garbage collections, which
    # otherwise walk it again each time.
    gc.collect()
    gc.freeze()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: sign-in attempts are counted in it (per address) and
    the audit log's list of actions is kept in it, and neither may carry over from another test."""
    from django.core.cache import cache

    cache.clear()


@dataclass
class World:
    programme: Programme
    partner_a: YouthPartner
    partner_b: YouthPartner
    cohort_a: object
    cohort_b: object
    staff: object
    funder: object
    coordinator_a: object
    coordinator_b: object
    dsl_a: object
    mentor: object
    other_mentor: object
    mentee_under_16: object
    mentee_over_18: object
    mentee_b: object
    relationship_under_16: object
    relationship_over_18: object
    relationship_b: object

    def persona(self, name):
        return None if name == "anonymous" else getattr(self, name)


def build_world() -> World:
    """The persona world's rows (see the module docstring). Everyone has a surname of their own, so a
    test that a page leaves out a young person's surname cannot be fooled by someone else's."""
    programme = ProgrammeFactory(name="Future Paths Mentoring")
    partner_a = YouthPartnerFactory(name="Alder Park School")
    partner_b = YouthPartnerFactory(name="Birchwood College", kind=YouthPartner.Kind.COLLEGE)
    cohort_a = CohortFactory(programme=programme, youth_partner=partner_a)
    cohort_b = CohortFactory(programme=programme, youth_partner=partner_b)

    staff = UserFactory(email="staff@example.org", first_name="Sam", last_name="Hollis")
    RoleAssignmentFactory(user=staff, role=Role.PROGRAMME_STAFF)
    funder = UserFactory(email="funder@example.org", first_name="Fiona", last_name="Marchbank")
    RoleAssignmentFactory(user=funder, role=Role.FUNDER)
    coordinator_a = UserFactory(
        email="alice.coordinator@example.org", first_name="Alice", last_name="Whitfield"
    )
    RoleAssignmentFactory(user=coordinator_a, role=Role.COORDINATOR, youth_partner=partner_a)
    coordinator_b = UserFactory(
        email="charlie.coordinator@example.org", first_name="Charlie", last_name="Dunmore"
    )
    RoleAssignmentFactory(user=coordinator_b, role=Role.COORDINATOR, youth_partner=partner_b)
    dsl_a = UserFactory(email="dee.dsl@example.org", first_name="Dee", last_name="Ashworth")
    RoleAssignmentFactory(user=dsl_a, role=Role.SAFEGUARDING_LEAD, youth_partner=partner_a)

    mentor = MentorProfileFactory(
        user=UserFactory(email="mo.mentor@example.org", first_name="Mo", last_name="Carrick")
    ).user
    other_mentor = MentorProfileFactory(
        user=UserFactory(email="olu.mentor@example.org", first_name="Olu", last_name="Adebayo")
    ).user
    mentee_under_16 = MenteeProfileFactory(
        user=UserFactory(email="young.mentee@example.org", first_name="Yasmin", last_name="Quennell"),
        age=14,
        youth_partner=partner_a,
        cohort=cohort_a,
        phone="07700 900001",
    ).user
    mentee_over_18 = MenteeProfileFactory(
        user=UserFactory(email="adult.mentee@example.org", first_name="Aaron", last_name="Ravensworth"),
        age=19,
        youth_partner=partner_a,
        cohort=cohort_a,
        phone="07700 900002",
    ).user
    mentee_b = MenteeProfileFactory(
        user=UserFactory(email="bea.mentee@example.org", first_name="Bea", last_name="Fairweather"),
        age=16,
        youth_partner=partner_b,
        cohort=cohort_b,
        phone="07700 900003",
    ).user
    return World(
        programme=programme,
        partner_a=partner_a,
        partner_b=partner_b,
        cohort_a=cohort_a,
        cohort_b=cohort_b,
        staff=staff,
        funder=funder,
        coordinator_a=coordinator_a,
        coordinator_b=coordinator_b,
        dsl_a=dsl_a,
        mentor=mentor,
        other_mentor=other_mentor,
        mentee_under_16=mentee_under_16,
        mentee_over_18=mentee_over_18,
        mentee_b=mentee_b,
        relationship_under_16=RelationshipFactory(mentor=mentor, mentee=mentee_under_16, cohort=cohort_a),
        relationship_over_18=RelationshipFactory(mentor=mentor, mentee=mentee_over_18, cohort=cohort_a),
        relationship_b=RelationshipFactory(mentor=other_mentor, mentee=mentee_b, cohort=cohort_b),
    )


def _is_transactional(item) -> bool:
    """Whether a test commits (a live server, `transactional_db`, a TransactionTestCase): it cannot run
    inside a transaction that a module keeps open."""
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    committing = {"transactional_db", "live_server", "django_db_reset_sequences"}
    if committing & set(getattr(item, "fixturenames", ())):
        return True
    cls = getattr(item, "cls", None)
    if cls is not None:
        from django.test import TestCase, TransactionTestCase

        return issubclass(cls, TransactionTestCase) and not issubclass(cls, TestCase)
    return False


@pytest.fixture(scope="module")
def module_transaction(request, django_db_setup, django_db_blocker):
    """A transaction held open for a whole test module and rolled back at its end, so data a module
    builds once (like `setUpTestData`) outlives each test's own transaction, which is a savepoint inside
    it. True when it is open; False in a module with a test that commits, which builds its data per test.
    """
    in_module = [item for item in request.session.items if item.getparent(pytest.Module) is request.node]
    if any(_is_transactional(item) for item in in_module):
        yield False
        return
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic._from_testcase = True  # a durable block inside a test is still allowed, as in TestCase
        atomic.__enter__()
    try:
        yield True
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def shared_world(module_transaction, django_db_blocker):
    """The persona world, built once per test module (None where the module's tests commit)."""
    if not module_transaction:
        return None
    with django_db_blocker.unblock():
        return build_world()


@pytest.fixture
def world(shared_world, db):
    """The persona world for one test: a fresh copy of the module's objects, whose rows each test's
    rollback restores; built anew for a test that commits."""
    return copy.deepcopy(shared_world) if shared_world is not None else build_world()


@pytest.fixture
def client_for(client):
    """A test client signed in as the given user (or anonymous for None)."""

    def sign_in(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return sign_in
