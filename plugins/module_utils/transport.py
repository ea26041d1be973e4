# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""HTTP transport: one keep-alive session per module run, timeouts, TLS, bounded safe retries.

``requests`` is imported on the first request, not at module start-up, so argument
errors and check-mode paths that never reach the network stay fast.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import threading
import time

from ansible_collections.hwcloud.taskops.plugins.module_utils.errors import HwCloudError, describe_body
from ansible_collections.hwcloud.taskops.plugins.module_utils.request_deadline import Watch, watched_adapter
from ansible_collections.hwcloud.taskops.plugins.module_utils.retry import (
    RETRYABLE_STATUSES, THROTTLED, RetryPolicy, Throttle, parse_retry_after,
)

COLLECTION_VERSION = "1.0.0"
USER_AGENT = "hwcloud.taskops/%s (Ansible collection)" % COLLECTION_VERSION
CA_BUNDLE_ENV = "HW_CA_BUNDLE"
MAX_CONNECT_TIMEOUT = 10.0
TOO_SLOW = "the answer took longer than the whole-request timeout"


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def request_id(self):
        return self.headers.get("X-Request-Id")

    def json(self, service, operation):
        """The body as JSON; a clear error names the service and operation otherwise."""
        if not self.body:
            return {}
        try:
            return json.loads(self.body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            raise HwCloudError("the response was not valid JSON but %s"
                               % describe_body(self.body.decode("utf-8", "replace")),
                               status=self.status, request_id=self.request_id, service=service, operation=operation)


class Transport:
    """Sends requests and retries what is safe to retry.

    Reads (``idempotent=True``) are retried on 429, 5xx, connection errors and read
    timeouts. A write is retried only when it provably never reached the service
    (429 from the gateway, or a failure to connect). Any other failure of a write
    raises ``HwCloudError`` with ``outcome_unknown=True``: the caller re-reads state.
    """

    def __init__(self, timeout=30.0, validate_certs=True, ca_bundle=None, retries=5, max_retry_time=120.0,
                 warn=None, sleep=time.sleep, clock=time.monotonic, rng=None, environ=None, concurrency=1):
        environ = os.environ if environ is None else environ
        self.timeout = (min(float(timeout), MAX_CONNECT_TIMEOUT), float(timeout))
        self.verify = validate_certs
        ca_bundle = ca_bundle or environ.get(CA_BUNDLE_ENV)
        if validate_certs and ca_bundle:
            self.verify = ca_bundle
        if not validate_certs and warn:
            warn("validate_certs is false: TLS certificates are not verified, so the connection can be intercepted")
        self.policy = RetryPolicy(retries=retries, max_time=max_retry_time, rng=rng)
        self.sleep = sleep
        self.clock = clock
        self.throttle = Throttle(concurrency, clock=clock, sleep=sleep)
        self.request_count = 0
        self._session = None
        # Batch calls run in parallel threads; counts must stay exact.
        self._lock = threading.Lock()

    def _get_session(self):
        with self._lock:
            return self._create_session() if self._session is None else self._session

    def _create_session(self):
        try:
            import requests  # pylint: disable=import-outside-toplevel
        except ImportError:
            raise HwCloudError("the Python library 'requests' is required on the host running the module; "
                               "install it with pip install requests")
        self._session = requests.Session()
        for prefix in ("https://", "http://"):
            self._session.mount(prefix, watched_adapter(requests))
        # Proxies (HTTPS_PROXY, NO_PROXY, ...) and REQUESTS_CA_BUNDLE come from the environment (trust_env).
        self._session.headers["User-Agent"] = USER_AGENT
        return self._session

    def _request(self, session, requests, method, url, headers, body):
        """One attempt, bounded in total by the timeout (connection, headers and the whole body)."""
        with Watch(self.timeout[1]) as watch:
            try:
                raw = session.request(method, url, headers=headers, data=body or None, timeout=self.timeout,
                                      verify=self.verify, allow_redirects=False, stream=True)
                content = _read_body(raw)
            except (requests.exceptions.RequestException, OSError, _urllib3_errors(requests).HTTPError) as exc:
                raise _as_requests_error(exc, watch.expired, requests)
        if watch.expired:  # a cut connection can read like a short answer: it is not one
            raise requests.exceptions.ReadTimeout(TOO_SLOW)
        return raw, content

    def send(self, method, url, prepare_headers, body=b"", service=None, operation=None, idempotent=True):
        """Send one logical request; ``prepare_headers()`` is called per attempt (fresh signature/date)."""
        session = self._get_session()
        import requests  # pylint: disable=import-outside-toplevel
        started = self.clock()
        attempt = throttled = 0
        while True:
            attempt += 1
            with self._lock:
                self.request_count += 1
            headers = prepare_headers()
            sent_at = self.throttle.enter()
            try:
                raw, content = self._request(session, requests, method, url, headers, body)
            except requests.exceptions.RequestException as exc:
                self.throttle.leave()
                sent = _may_have_been_sent(exc, requests)
                error = HwCloudError(_describe_exception(exc, url), service=service, operation=operation,
                                     outcome_unknown=sent and not idempotent)
                if _is_permanent(exc, requests) or (sent and not idempotent):
                    raise error
                wait = self.policy.next_delay(attempt - throttled, started, now=self.clock())
                if wait is None:
                    raise error
            else:
                response = Response(raw.status_code, raw.headers, content)
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
                self.throttle.leave(response.status == THROTTLED, retry_after, sent_at)
                if response.status not in RETRYABLE_STATUSES:
                    return response
                if not idempotent and response.status != THROTTLED:
                    return response  # The caller raises it as outcome unknown.
                if response.status == THROTTLED:
                    throttled += 1
                    wait = self.policy.next_delay(throttled, started, retry_after, self.clock(), throttled=True)
                else:
                    wait = self.policy.next_delay(attempt - throttled, started, retry_after, now=self.clock())
                if wait is None:
                    return response
            self.sleep(wait)


def _read_body(raw):
    """The whole body; the request's Watch cuts it off when the timeout passes (a slow-loris answer)."""
    # read1 returns whatever has arrived (urllib3 2.x); older urllib3 falls back to small chunks.
    read1 = getattr(raw.raw, "read1", None)
    pieces = iter(lambda: read1(65536, decode_content=True), b"") if read1 else raw.iter_content(chunk_size=1024)
    try:
        return b"".join(pieces)
    finally:
        raw.close()


def _urllib3_errors(requests):
    # urllib3 comes with requests (and is reached through it, so it is not one more requirement).
    return requests.packages.urllib3.exceptions


def _as_requests_error(exc, expired, requests):
    """Reading a streamed body raises urllib3's own errors; the retry rules speak requests' language."""
    if expired or isinstance(exc, _urllib3_errors(requests).ReadTimeoutError):
        return requests.exceptions.ReadTimeout(TOO_SLOW)
    if isinstance(exc, requests.exceptions.RequestException):
        return exc
    return requests.exceptions.ConnectionError("the connection failed while reading the answer: %s" % exc)


def _is_permanent(exc, requests):
    # Retrying cannot fix a TLS failure or a malformed URL.
    return isinstance(exc, (requests.exceptions.SSLError, requests.exceptions.InvalidURL,
                            requests.exceptions.MissingSchema, requests.exceptions.InvalidSchema))


def _may_have_been_sent(exc, requests):
    """False only when the connection was never established, so the server saw nothing."""
    if _is_permanent(exc, requests) or isinstance(exc, requests.exceptions.ConnectTimeout):
        return False
    if isinstance(exc, requests.exceptions.ConnectionError) and not isinstance(exc, requests.exceptions.ReadTimeout):
        reason = exc.args[0] if exc.args else None
        text = repr(getattr(reason, "reason", reason))
        return not any(marker in text for marker in ("NewConnectionError", "Connection refused",
                                                     "Name or service not known", "nodename nor servname"))
    return True


def _describe_exception(exc, url):
    name = type(exc).__name__
    if name == "SSLError":
        return ("TLS verification failed for %s: %s. Set ca_bundle (or env %s) to your CA file"
                % (url.split("?")[0], exc, CA_BUNDLE_ENV))
    if "Timeout" in name:
        return "no answer from %s within the timeout (%s)" % (url.split("?")[0], name)
    return "could not reach %s: %s" % (url.split("?")[0], _connection_reason(exc))


def _connection_reason(exc):
    """The root cause of a connection failure in words, not urllib3's object dump."""
    text = str(exc)
    for marker, words in (("Connection refused", "connection refused (nothing listens on that port; check the "
                                                 "endpoint)"),
                          ("Name or service not known", "the host name does not resolve (check the region or "
                                                        "endpoint)"),
                          ("nodename nor servname", "the host name does not resolve (check the region or endpoint)"),
                          ("Network is unreachable", "the network is unreachable"),
                          ("Connection reset", "the connection was reset"),
                          ("timed out", "the connection timed out")):
        if marker in text:
            return words
    return type(exc).__name__
