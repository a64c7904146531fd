import json

import pytest
from django.conf import settings
from django.urls import reverse


def test_healthz_reports_database_and_eager_broker(db, client, settings):
    settings.CELERY_BROKER_URL = ""
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "checks": {"database": "ok", "broker": "eager"}}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_when_the_broker_is_unreachable(db, client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert json.loads(response.content)["checks"]["broker"] == "error"


@pytest.mark.skipif(not settings.CELERY_BROKER_URL, reason="no broker configured (CI sets CELERY_BROKER_URL)")
def test_healthz_reaches_the_real_broker(db, client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200, response.content
    assert json.loads(response.content)["checks"]["broker"] == "ok"


def test_celery_recovers_tasks_from_dead_workers():
    from config.celery import app

    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    options = conf.broker_transport_options
    # The visibility timeout must exceed the longest task, or a running task is handed out twice.
    assert options["visibility_timeout"] > conf.task_time_limit > conf.task_soft_time_limit
    assert options["unacked_restore_interval"] <= 10


def test_every_periodic_task_is_a_registered_task():
    from config.celery import app

    app.loader.import_default_modules()
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, f"beat entry {name} names an unknown task {entry['task']}"


def test_signed_in_pages_are_not_cached(world, client):
    client.force_login(world.coordinator_a)
    assert client.get(reverse("home"))["Cache-Control"] == "no-store"


def test_healthz_is_503_when_the_database_does_not_answer(db, client, settings, monkeypatch):
    from django.db import OperationalError

    settings.CELERY_BROKER_URL = ""

    class DatabaseDown:
        def cursor(self):
            raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr("core.views.connection", DatabaseDown())
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert json.loads(response.content)["checks"] == {"database": "error", "broker": "eager"}
