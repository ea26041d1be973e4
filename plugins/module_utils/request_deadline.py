# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A deadline for a whole HTTP request, headers included.

``requests`` applies its timeout to each socket operation, so a server that sends its status
line and headers a few bytes at a time can hold a request for as long as it likes. While a
``Watch`` is active on a thread, every connection that thread uses is registered with it; when
the time is up, the watch shuts those sockets down, and the blocked read ends at once.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import socket
import threading

_current = threading.local()
_watched_classes = {}


class Watch:
    """``with Watch(seconds):`` bounds everything the current thread sends and reads inside it."""

    def __init__(self, seconds):
        self.expired = False
        self._sockets = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(float(seconds), 0.0), self._expire)
        self._timer.daemon = True

    def __enter__(self):
        _current.watch = self
        self._timer.start()
        return self

    def __exit__(self, *exc_info):
        self._timer.cancel()
        _current.watch = None

    def track(self, sock):
        with self._lock:
            if not self.expired:
                self._sockets.append(sock)
                return
        _shut(sock)

    def _expire(self):
        with self._lock:
            self.expired = True
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            _shut(sock)


def _shut(sock):
    """Shut a connection down through a duplicate descriptor, so a TLS socket's state is left to its owner."""
    try:
        duplicate = socket.fromfd(sock.fileno(), sock.family, sock.type)
    except (OSError, ValueError):
        return  # already closed
    try:
        duplicate.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    finally:
        duplicate.close()


def _track(sock):
    watch = getattr(_current, "watch", None)
    if watch is not None and sock is not None:
        watch.track(sock)


class _WatchedConnection:
    """Mixed into urllib3's connection classes: registers the socket before each answer is read."""

    def connect(self):
        super(_WatchedConnection, self).connect()
        _track(getattr(self, "sock", None))

    def getresponse(self, *args, **kwargs):
        _track(getattr(self, "sock", None))
        return super(_WatchedConnection, self).getresponse(*args, **kwargs)


def _watched(connection_class):
    if issubclass(connection_class, _WatchedConnection):
        return connection_class
    if connection_class not in _watched_classes:
        _watched_classes[connection_class] = type("Watched" + connection_class.__name__,
                                                  (_WatchedConnection, connection_class), {})
    return _watched_classes[connection_class]


def watched_adapter(requests):
    """An ``HTTPAdapter`` whose connection pools (proxied ones too) use watched connections."""

    class WatchedAdapter(requests.adapters.HTTPAdapter):
        def get_connection_with_tls_context(self, *args, **kwargs):  # requests >= 2.32
            return _watch_pool(super(WatchedAdapter, self).get_connection_with_tls_context(*args, **kwargs))

        def get_connection(self, *args, **kwargs):  # older requests
            return _watch_pool(super(WatchedAdapter, self).get_connection(*args, **kwargs))

    return WatchedAdapter()


def _watch_pool(pool):
    pool.ConnectionCls = _watched(pool.ConnectionCls)
    return pool
