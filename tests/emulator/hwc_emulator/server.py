"""The HTTP front: one port for every service, routed by path as the API gateway does.

Order of work for a service request: rate limit (429 APIGW.0308) -> authentication
(401 APIGW.0301) -> project check -> injected faults -> the operation -> the answer.
Everything under /_emulator/ is the admin API, never reachable through a service path.
"""

import json
import socket
import struct
import threading
import time
import uuid
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from hwc_emulator import admin, errors, registry
from hwc_emulator.auth import Authenticator
from hwc_emulator.faults import Faults, RateLimiter, retry_after_header

LOG_LIMIT = 20000


class Context:
    """What a handler needs besides the world: time, read lag, the project, the caller, forced item failures."""

    def __init__(self, emulator, service, operation, project_id, lag, caller):
        self.now = emulator.world.clock.now()
        self.lag = lag
        self.project_id = project_id
        self.caller = caller
        self.authenticator = emulator.authenticator
        self._faults = emulator.faults
        self._service = service
        self._operation = operation

    def forced_failure(self, item_id):
        return self._faults.item_failure(self._service, self._operation, item_id)


class Emulator:
    def __init__(self, world, faults=None, rate_limit=None, latency_ms=0, seed=0):
        self.world = world
        self.authenticator = Authenticator(world)
        self.faults = Faults(faults, seed)
        self.initial_faults = list(faults or [])
        self.initial_scenario = world.scenario
        self.limiter = RateLimiter(rate_limit)
        self.base_latency = latency_ms / 1000.0
        self.stats_lock = threading.Lock()
        self.reset_stats()
        self.apply_stuck()

    def reset_stats(self):
        with self.stats_lock:
            self.stats = {}
            self.total = 0
            self.writes = 0
            self.log = deque(maxlen=LOG_LIMIT)
            self.sequence = 0
            # Requests being served now (a test can wait for a held request, then kill the client).
            self.inflight = {}

    def apply_stuck(self):
        stuck = self.faults.stuck_ids()
        with self.world.lock:
            for item in self.world.all_items():
                item.stuck = item.id in stuck

    def record(self, method, path, service, operation, status, request_id, started, caller, write=False):
        with self.stats_lock:
            self.sequence += 1
            key = "%s.%s" % (service, operation)
            by_status = self.stats.setdefault(key, {})
            by_status[str(status)] = by_status.get(str(status), 0) + 1
            self.total += 1
            if write:
                self.writes += 1
            # No header and no body is logged, so no secret can be: only the path and what happened.
            self.log.append({"seq": self.sequence, "time": round(time.time(), 3), "method": method, "path": path,
                             "operation": key, "status": status, "request_id": request_id,
                             "auth": caller, "duration_ms": round((time.monotonic() - started) * 1000, 1)})


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "hwc-emulator"
    sys_version = ""

    def setup(self):
        super().setup()
        # Answers go out at once: --latency-ms is then the whole latency the emulator adds.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, *args):
        pass

    # ---- plumbing --------------------------------------------------------------------------
    def _read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status, body, headers=None, request_id=None):
        if isinstance(body, (dict, list)):
            payload = json.dumps(body).encode("utf-8")
            content_type = "application/json;charset=UTF-8"
        else:
            payload = body or b""
            content_type = (headers or {}).pop("Content-Type", "application/json;charset=UTF-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        if request_id:
            self.send_header("X-Request-Id", request_id)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        # Headers and body in one write: two small writes would wait for the client's delayed ACK (about 40 ms).
        self._headers_buffer.extend([b"\r\n", payload])
        self.flush_headers()

    def _reset_connection(self):
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.connection.close()

    def _handle(self):
        emulator = self.server.emulator
        split = urlsplit(self.path)
        path, raw_query = split.path, split.query
        body = self._read_body()
        if path.startswith("/_emulator/") or path == "/_emulator":
            try:
                data = json.loads(body.decode("utf-8")) if body else {}
            except ValueError:
                return self._send(400, {"error": "body is not JSON"})
            return self._send(*admin.handle(emulator, self.command, path, raw_query, data))
        started = time.monotonic()
        request_id = uuid.uuid4().hex
        service, route, params = registry.match(emulator.world, self.command, path)
        if service is None:
            message = "The API does not exist or has not been published in the environment."
            self._send(404, {"error_code": "APIGW.0101", "error_msg": message, "request_id": request_id},
                       request_id=request_id)
            emulator.record(self.command, self.path, "gateway", "unknown", 404, request_id, started, None)
            return
        operation = "%s.%s" % (service.name, route.operation)
        with emulator.stats_lock:
            emulator.inflight[request_id] = {"request_id": request_id, "operation": operation,
                                             "method": self.command, "path": self.path, "since": round(time.time(), 3)}
        try:
            status, caller_kind = self._serve(emulator, service, route, params, raw_query, body, request_id)
        finally:
            with emulator.stats_lock:
                emulator.inflight.pop(request_id, None)
        emulator.record(self.command, self.path, service.name, route.operation, status, request_id, started,
                        caller_kind, write=route.kind == "write")

    def _serve(self, emulator, service, route, params, raw_query, body, request_id):
        world = emulator.world
        name, operation = service.name, route.operation
        self._pending_after = None
        delay = emulator.base_latency + emulator.faults.latency(name, operation)
        if delay:
            time.sleep(delay)
        wait = emulator.limiter.acquire()
        if wait is not None:
            rps = emulator.limiter.rps
            self._send(429, {"error_code": "APIGW.0308", "error_msg": "The throttling threshold has been reached: "
                             "policy user over ratelimit, limit:%d, time:1 second" % rps, "request_id": request_id},
                       {"Retry-After": retry_after_header(wait)}, request_id)
            return 429, None
        headers = {k.lower(): v for k, v in self.headers.items()}
        query = dict(parse_qsl(raw_query, keep_blank_values=True))
        caller = None
        try:
            with world.lock:
                if emulator.faults.fire("token_expiry", name, operation):
                    emulator.authenticator.expire_tokens()
                if not route.public:
                    caller = emulator.authenticator.authenticate(self.command, urlsplit(self.path).path, raw_query,
                                                                 headers, body, request_id)
                    project_id = params.get("project_id")
                    header_project = headers.get("x-project-id")
                    if project_id and (project_id not in caller.project_ids
                                       or (header_project and header_project != project_id)):
                        raise service.project_error(project_id)
            faulted = self._fault_before(emulator, service, operation, request_id)
            if faulted:
                return faulted, caller and caller.kind
            try:
                data = json.loads(body.decode("utf-8")) if body else None
            except ValueError:
                raise service.bad_body()
            with world.lock:
                lag = emulator.faults.lag(name, operation) if route.kind == "read" else 0.0
                ctx = Context(emulator, name, operation, params.get("project_id"), lag, caller)
                answer = route.handler(world, ctx, params, query, data)
        except errors.ApiError as exc:
            self._send(exc.status, exc.body, dict(exc.headers), request_id)
            return exc.status, caller and caller.kind
        status, result, extra = answer if len(answer) == 3 else (answer[0], answer[1], {})
        if self._fault_after(emulator, name, operation, status, result, extra, request_id):
            return status, caller and caller.kind
        self._send(status, result, extra, request_id)
        return status, caller and caller.kind

    def _fault_before(self, emulator, service, operation, request_id):
        """Faults that stop the request before it takes effect: the status they answered ('reset' for a reset)."""
        faults = emulator.faults
        name = service.name
        for kind in ("reset", "hang"):
            fault = faults.fire(kind, name, operation)
            if fault and fault.get("when", "before") == "before":
                if kind == "reset":
                    self._reset_connection()
                    return "reset"
                time.sleep(float(fault.get("ms", 5000)) / 1000.0)
                self._send(504, b"", {"Content-Type": "text/plain"}, request_id)
                return 504
            if fault:
                self._pending_after = fault
        fault = faults.fire("error", name, operation)
        if fault:
            error = service.server_error(fault["status"])
            self._send(error.status, error.body, None, request_id)
            return error.status
        fault = faults.fire("html", name, operation)
        if fault:
            status = int(fault.get("status", 502))
            page = ("<html><head><title>%d Bad Gateway</title></head><body><center><h1>%d Bad Gateway</h1>"
                    "</center><hr><center>nginx</center></body></html>" % (status, status)).encode()
            self._send(status, page, {"Content-Type": "text/html"}, request_id)
            return status
        return None

    def _fault_after(self, emulator, service, operation, status, result, extra, request_id):
        """Faults that strike after the operation took effect; True when one answered."""
        pending, self._pending_after = self._pending_after, None
        if pending is not None:
            if pending["type"] == "reset":
                self._reset_connection()
                return True
            time.sleep(float(pending.get("ms", 5000)) / 1000.0)
        if emulator.faults.fire("truncated", service, operation):
            payload = json.dumps(result).encode("utf-8")
            self._send(status, payload[:max(1, len(payload) // 2)], dict(extra), request_id)
            return True
        return False

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _handle


class EmulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, emulator):
        super().__init__(address, Handler)
        self.emulator = emulator
