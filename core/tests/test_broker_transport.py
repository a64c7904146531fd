"""A worker holding an unacknowledged task survives losing Redis (config/broker.py).

Each test starts its own redis-server on a free port, delivers a message that is not acknowledged
(as a late-acknowledged task is while it runs), leaves the channel waiting on BRPOP, kills Redis,
and then tears the connection down exactly as Celery's consumer does on a lost connection
(celery.worker.consumer.Consumer.on_connection_error_after_connected): collect(), then close().
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time

import pytest
from kombu import Connection, Consumer, Exchange, Producer, Queue
from kombu.common import ignore_errors
from kombu.transport import redis as kombu_redis

from config.broker import Transport

pytestmark = pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed")


@pytest.fixture
def redis_server(tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(  # noqa: S603 - a fixed command
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        + ["--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while True:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                break
        assert time.monotonic() < deadline, "redis-server did not start"
        time.sleep(0.05)
    yield process, f"redis://127.0.0.1:{port}/0"
    process.kill()
    process.wait(timeout=10)


def consume_one(connection, channel, name):
    """Deliver one message on `channel` and leave it unacknowledged, as a running task is."""
    queue = Queue(name, Exchange(name, type="direct"), routing_key=name)
    Producer(channel).publish({"task": name}, exchange=queue.exchange, routing_key=name, declare=[queue])
    received = []
    Consumer(channel, queues=[queue], callbacks=[lambda body, message: received.append(message)]).consume()
    connection.drain_events(timeout=5)
    assert len(received) == 1 and not received[0].acknowledged
    assert channel.qos._delivered  # what the channel puts back on the queue when it closes


def lose_broker_while_a_task_is_unacknowledged(process, url, transport):
    connection = Connection(url, transport=transport, transport_options={"socket_connect_timeout": 1})
    tasks = connection.default_channel  # the worker takes its tasks on the default channel
    consume_one(connection, tasks, "tasks")
    # Another channel that cannot close without Redis (the worker's remote-control mailbox).
    consume_one(connection, connection.channel(), "other")
    tasks._brpop_start()  # waiting for the next task, as the worker's event loop is
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    connection.collect(socket_timeout=1)
    ignore_errors(connection, connection.close)
    assert tasks.closed


def test_kombus_own_channel_fails_to_close_after_redis_dies(redis_server):
    """The failure config/broker.py exists for: once kombu fixes it, this test fails and says so."""
    with pytest.raises(AttributeError, match="hostname"):
        lose_broker_while_a_task_is_unacknowledged(*redis_server, kombu_redis.Transport)


def test_channel_closes_after_redis_dies_with_a_task_unacknowledged(redis_server):
    lose_broker_while_a_task_is_unacknowledged(*redis_server, Transport)


def test_the_celery_app_uses_this_transport_for_a_redis_broker():
    """What a worker started with CELERY_BROKER_URL=redis://... connects with."""
    script = "from config.celery import app; print(app.connection_for_write().transport_cls)"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "CELERY_BROKER_URL": "redis://127.0.0.1:1/0",
    }
    result = subprocess.run(  # noqa: S603 - a fixed command
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "config.broker:Transport"
