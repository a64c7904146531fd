"""The Redis broker transport, with channels that close without crashing after the broker is gone.

With kombu's own transport (checked with celery 5.7.0 and kombu 5.7.0) a Celery worker exits with
"Unrecoverable error: AttributeError: 'NoneType' object has no attribute 'hostname'" when Redis
goes away while it holds a task it has not acknowledged (late acknowledgement: every running task).
On a lost connection the worker's consumer calls ``Connection.collect()`` and then
``Connection.close()`` (celery.worker.consumer.Consumer.on_connection_error_after_connected):

1. ``collect()`` closes the default channel (the one the worker takes tasks from). If the loss was
   noticed on another socket (the remote-control mailbox's pub/sub one, or a timer's call such as
   the unacknowledged-message sweep), that channel is still waiting for a BRPOP reply, and
   ``Channel.close()`` reads it first: ``ConnectionError``, raised before the channel marks itself
   closed, and ignored as a connection error. ``collect()`` then closes the other channels, and
   the first one that cannot reach Redis (the mailbox's) stops that loop, so the default channel
   stays open. Last, ``collect()`` detaches the transport (``transport.client = None``).
2. ``close()`` closes the default channel again. It now gets past the read, drops its connection
   pools and puts its unacknowledged messages back on the queue, which needs a new pool, built
   from ``transport.client.hostname``. AttributeError is not a connection error: the worker ends.

Which socket is read first after Redis goes away is chance, so a worker survives some restarts and
not others; a worker holding no task survives every one. Gossip, mingle and heartbeats play no
part. The channel here (a) treats a connection error on that last BRPOP read as the end of the read
and goes on closing, while the transport still knows where Redis is, so the messages are put back
at once if Redis is already back; and (b) answers a channel whose transport was detached with a
connection error instead of AttributeError, which every teardown path ignores. Messages that could
not be put back stay in Redis's set of unacknowledged messages until the visibility timeout, and
the work itself is recorded in PostgreSQL (docs/tasks.md). The settings select this transport for
redis:// and rediss:// broker URLs.
"""

from __future__ import annotations

from queue import Empty

from kombu.transport import redis
from redis.exceptions import ConnectionError as RedisConnectionError


class Channel(redis.Channel):
    def close(self):
        if self._in_poll:
            try:
                self._brpop_read()
            except Empty:
                pass
            except self.connection_errors:
                pass  # the broker is gone: there is nothing more to read, so close the rest now
        super().close()

    def _connparams(self, asynchronous=False):
        if self.connection is None or self.connection.client is None:
            raise RedisConnectionError("this channel's connection to the broker was closed")
        return super()._connparams(asynchronous=asynchronous)


class Transport(redis.Transport):
    Channel = Channel
