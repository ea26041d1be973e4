"""The HTTP front: one port for every service, routed by path as the API gateway does.

Order of work for a service request: rate limit (429 APIGW.0308) -> authentication
(401 APIGW.0301) -> project check -> injected faults -> the operation -> the answer.
Everything under /_emulator/ is the admin API, never reachable through a service path.
"""

import json
import re
import socket
import struct
import threading
import time
import uuid
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from hwc_emulator import drs, drs_delay, drs_v5, errors, iam, roma, vias
from hwc_emulator.auth import Authenticator
from hwc_emulator.faults import FaultError, Faults, RateLimiter, retry_after_header

LOG_LIMIT = 20000
WRITE_OPERATIONS = frozenset(("roma.batch_operation", "roma.create_dispatch", "drs.batch_start", "drs.batch_pause",
                              "drs.batch_retry", "drs.v5_action", "drs.v5_batch_stop", "vias.batch_action",
                              "vias.task_action"))
READ_OPERATIONS = frozenset(("roma.list_tasks", "roma.show_task", "roma.show_dispatch", "drs.batch_status",
                             "drs.batch_detail", "drs.batch_progress", "drs.list_jobs", "drs.v5_list_jobs",
                             "drs.v5_show_actions",
                             "vias.list_batch_tasks", "vias.list_tasks",
                             "vias.show_task"))
_P = r"(?P<project_id>[^/]+)"
_ID = r"(?P<%s>[^/]+)"
ROUTES = [
    ("POST", r"/v3/auth/tokens", "iam", "create_token"),
    ("GET", r"/v3/projects", "iam", "list_projects"),
    ("GET", r"/v2/%s/fdi/instances/%s/tasks" % (_P, _ID % "instance_id"), "roma", "list_tasks"),
    ("GET", r"/v2/%s/fdi/instances/%s/tasks/%s" % (_P, _ID % "instance_id", _ID % "task_id"), "roma", "show_task"),
    ("POST", r"/v2/%s/fdi/instances/%s/batch-operation/tasks" % (_P, _ID % "instance_id"), "roma",
     "batch_operation"),
    ("POST", r"/v2/%s/fdi/instances/%s/tasks/%s/dispatches" % (_P, _ID % "instance_id", _ID % "task_id"), "roma",
     "create_dispatch"),
    ("GET", r"/v2/%s/fdi/instances/%s/tasks/%s/dispatches" % (_P, _ID % "instance_id", _ID % "task_id"), "roma",
     "show_dispatch"),
    ("POST", r"/v3/%s/jobs/batch-starting" % _P, "drs", "batch_start"),
    ("POST", r"/v3/%s/jobs/batch-pause-task" % _P, "drs", "batch_pause"),
    ("POST", r"/v3/%s/jobs/batch-retry-task" % _P, "drs", "batch_retry"),
    ("POST", r"/v3/%s/jobs/batch-status" % _P, "drs", "batch_status"),
    ("POST", r"/v3/%s/jobs/batch-detail" % _P, "drs", "batch_detail"),
    ("POST", r"/v3/%s/jobs/batch-progress" % _P, "drs", "batch_progress"),
    ("POST", r"/v3/%s/jobs" % _P, "drs", "list_jobs"),
    ("POST", r"/v5/%s/jobs/action" % _P, "drs", "v5_action"),
    ("POST", r"/v5/%s/jobs/batch-stop" % _P, "drs", "v5_batch_stop"),
    ("GET", r"/v5/%s/jobs" % _P, "drs", "v5_list_jobs"),
    ("GET", r"/v5/%s/jobs/%s/actions" % (_P, _ID % "job_id"), "drs", "v5_show_actions"),
    ("GET", r"/v2/%s/batch-tasks" % _P, "vias", "list_batch_tasks"),
    ("PUT", r"/v2/%s/batch-tasks/%s/action/%s" % (_P, _ID % "batch_id", _ID % "command"), "vias", "batch_action"),
    ("GET", r"/v2/%s/tasks" % _P, "vias", "list_tasks"),
    ("GET", r"/v2/%s/tasks/%s" % (_P, _ID % "task_id"), "vias", "show_task"),
    ("PUT", r"/v2/%s/tasks/%s/action/%s" % (_P, _ID % "task_id", _ID % "command"), "vias", "task_action"),
]
ROUTES = [(m, re.compile("^%s/?$" % p), s, o) for m, p, s, o in ROUTES]


def _dispatch(world, ctx, operation, match, query, body):
    g = match.groupdict()
    handlers = {
        "roma.list_tasks": lambda: roma.list_tasks(world, ctx, g["instance_id"], query),
        "roma.show_task": lambda: roma.show_task(world, ctx, g["instance_id"], g["task_id"]),
        "roma.batch_operation": lambda: roma.batch_operation(world, ctx, g["instance_id"], body),
        "roma.create_dispatch": lambda: roma.create_dispatch(world, ctx, g["instance_id"], g["task_id"], body),
        "roma.show_dispatch": lambda: roma.show_dispatch(world, ctx, g["instance_id"], g["task_id"]),
        "drs.batch_start": lambda: drs.batch_start(world, ctx, body),
        "drs.batch_pause": lambda: drs.batch_pause(world, ctx, body),
        "drs.batch_retry": lambda: drs.batch_retry(world, ctx, body),
        "drs.batch_status": lambda: drs.batch_status(world, ctx, body),
        "drs.batch_detail": lambda: drs.batch_detail(world, ctx, body),
        "drs.batch_progress": lambda: drs_delay.batch_progress(world, ctx, body),
        "drs.list_jobs": lambda: drs.list_jobs(world, ctx, body),
        "drs.v5_action": lambda: drs_v5.batch_action(world, ctx, body),
        "drs.v5_batch_stop": lambda: drs_v5.batch_stop(world, ctx, body),
        "drs.v5_list_jobs": lambda: drs_v5.list_jobs(world, ctx, query),
        "drs.v5_show_actions": lambda: drs_v5.show_actions(world, ctx, g["job_id"]),
        "vias.list_batch_tasks": lambda: vias.list_batch_tasks(world, ctx, query),
        "vias.batch_action": lambda: vias.batch_action(world, ctx, g["batch_id"], g["command"]),
        "vias.list_tasks": lambda: vias.list_tasks(world, ctx, query),
        "vias.show_task": lambda: vias.show_task(world, ctx, g["task_id"]),
        "vias.task_action": lambda: vias.task_action(world, ctx, g["task_id"], g["command"]),
    }
    return handlers[operation]()


def _bad_body(service):
    if service == "roma":
        return errors.flat(400, *errors.ROMA_INVALID)
    if service == "drs":
        return errors.flat(400, errors.DRS_PARAM[0], "Parameter error: the body is not valid JSON.")
    if service == "vias":
        return errors.vias(400, errors.VIAS_INVALID[0], errors.VIAS_INVALID[1], detail="body")
    return errors.keystone(400, "Bad Request", "The request body is not valid JSON.")


def _project_error(service, project_id):
    if service == "roma":
        return errors.flat(400, *errors.ROMA_PROJECT)
    if service == "drs":
        return errors.flat(403, *errors.DRS_PROJECT)
    code, message = errors.VIAS_AUTH
    return errors.vias(401, code, message, detail="project %s does not belong to the caller" % project_id)


def _server_error(service, status):
    if service == "roma":
        return errors.flat(status, *errors.ROMA_INTERNAL)
    if service == "drs":
        return errors.flat(status, *errors.DRS_INTERNAL)
    if service == "vias":
        return errors.vias(status, *errors.VIAS_INTERNAL)
    return errors.keystone(status, "Internal Server Error", "An unexpected error prevented the server from "
                                                            "fulfilling your request.")


class Context:
    """What a handler needs besides the world: time, read lag, the project, forced item failures."""

    def __init__(self, emulator, service, operation, project_id, lag):
        self.now = emulator.world.clock.now()
        self.lag = lag
        self.project_id = project_id
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

    def record(self, method, path, service, operation, status, request_id, started, caller):
        with self.stats_lock:
            self.sequence += 1
            key = "%s.%s" % (service, operation)
            by_status = self.stats.setdefault(key, {})
            by_status[str(status)] = by_status.get(str(status), 0) + 1
            self.total += 1
            if key in WRITE_OPERATIONS:
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

    def _route(self, path):
        known_path = False
        for method, pattern, service, operation in ROUTES:
            match = pattern.match(path)
            if match:
                if service == "drs" and path.startswith("/v3/") and self.server.emulator.world.drs_v3 == "withdrawn":
                    break  # the scenario withdrew DRS v3: the gateway no longer knows these APIs
                known_path = True
                if method == self.command:
                    return match, service, operation
        return None, known_path, None

    def _handle(self):
        emulator = self.server.emulator
        split = urlsplit(self.path)
        path, raw_query = split.path, split.query
        body = self._read_body()
        if path.startswith("/_emulator/") or path == "/_emulator":
            return self._admin(emulator, path, raw_query, body)
        started = time.monotonic()
        request_id = uuid.uuid4().hex
        match, service, operation = self._route(path)
        if match is None:
            message = "The API does not exist or has not been published in the environment."
            self._send(404, {"error_code": "APIGW.0101", "error_msg": message, "request_id": request_id},
                       request_id=request_id)
            emulator.record(self.command, self.path, "gateway", "unknown", 404, request_id, started, None)
            return
        with emulator.stats_lock:
            emulator.inflight[request_id] = {"request_id": request_id, "operation": "%s.%s" % (service, operation),
                                             "method": self.command, "path": self.path, "since": round(time.time(), 3)}
        try:
            status, caller_kind = self._serve(emulator, match, service, operation, raw_query, body, request_id)
        finally:
            with emulator.stats_lock:
                emulator.inflight.pop(request_id, None)
        emulator.record(self.command, self.path, service, operation, status, request_id, started, caller_kind)

    def _serve(self, emulator, match, service, operation, raw_query, body, request_id):
        world = emulator.world
        self._pending_after = None
        delay = emulator.base_latency + emulator.faults.latency(service, operation)
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
        caller_kind = None
        try:
            with world.lock:
                if emulator.faults.fire("token_expiry", service, operation):
                    emulator.authenticator.expire_tokens()
                if operation != "create_token":
                    caller = emulator.authenticator.authenticate(self.command, urlsplit(self.path).path, raw_query,
                                                                 headers, body, request_id)
                    caller_kind = caller.kind
                    project_id = match.groupdict().get("project_id")
                    header_project = headers.get("x-project-id")
                    if project_id and (project_id not in caller.project_ids
                                       or (header_project and header_project != project_id)):
                        raise _project_error(service, project_id)
            faulted = self._fault_before(emulator, service, operation, request_id)
            if faulted:
                return faulted, caller_kind
            try:
                data = json.loads(body.decode("utf-8")) if body else None
            except ValueError:
                raise _bad_body(service)
            with world.lock:
                if service == "iam":
                    if operation == "create_token":
                        status, result, extra = iam.create_token(world, emulator.authenticator, data, query)
                    else:
                        status, result, extra = iam.list_projects(world, caller, query)
                else:
                    key = "%s.%s" % (service, operation)
                    lag = emulator.faults.lag(service, operation) if key in READ_OPERATIONS else 0.0
                    ctx = Context(emulator, service, operation, match.groupdict().get("project_id"), lag)
                    status, result = _dispatch(world, ctx, key, match, query, data)
                    extra = {}
        except errors.ApiError as exc:
            self._send(exc.status, exc.body, dict(exc.headers), request_id)
            return exc.status, caller_kind
        if self._fault_after(emulator, service, operation, status, result, extra, request_id):
            return status, caller_kind
        self._send(status, result, extra, request_id)
        return status, caller_kind

    def _fault_before(self, emulator, service, operation, request_id):
        """Faults that stop the request before it takes effect: the status they answered ('reset' for a reset)."""
        faults = emulator.faults
        for kind in ("reset", "hang"):
            fault = faults.fire(kind, service, operation)
            if fault and fault.get("when", "before") == "before":
                if kind == "reset":
                    self._reset_connection()
                    return "reset"
                time.sleep(float(fault.get("ms", 5000)) / 1000.0)
                self._send(504, b"", {"Content-Type": "text/plain"}, request_id)
                return 504
            if fault:
                self._pending_after = fault
        fault = faults.fire("error", service, operation)
        if fault:
            error = _server_error(service, fault["status"])
            self._send(error.status, error.body, None, request_id)
            return error.status
        fault = faults.fire("html", service, operation)
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

    # ---- admin API --------------------------------------------------------------------------
    def _admin(self, emulator, path, raw_query, body):
        try:
            data = json.loads(body.decode("utf-8")) if body else {}
        except ValueError:
            return self._send(400, {"error": "body is not JSON"})
        world = emulator.world
        route = (self.command, path.rstrip("/"))
        try:
            if route == ("GET", "/_emulator/health"):
                return self._send(200, {"status": "ok"})
            if route == ("GET", "/_emulator/stats"):
                with emulator.stats_lock:
                    return self._send(200, {"total": emulator.total, "writes": emulator.writes,
                                            "by_operation": emulator.stats})
            if route == ("GET", "/_emulator/requests"):
                since = int(dict(parse_qsl(raw_query)).get("since", 0))
                with emulator.stats_lock:
                    return self._send(200, {"requests": [r for r in emulator.log if r["seq"] > since]})
            if route == ("GET", "/_emulator/inflight"):
                with emulator.stats_lock:
                    return self._send(200, {"requests": list(emulator.inflight.values())})
            if route == ("GET", "/_emulator/objects"):
                return self._send(200, world.snapshot())
            if route == ("POST", "/_emulator/reset"):
                # Without a scenario: back to the one the emulator started with, not the last one loaded.
                world.load(data.get("scenario") or emulator.initial_scenario)
                emulator.faults.configure(data.get("faults", emulator.initial_faults))
                emulator.limiter.set(data.get("rate_limit"))
                emulator.reset_stats()
                emulator.apply_stuck()
                return self._send(200, {"status": "reset"})
            if route == ("GET", "/_emulator/faults"):
                return self._send(200, {"faults": emulator.faults.faults, "seed": emulator.faults.seed})
            if route == ("PUT", "/_emulator/faults"):
                emulator.faults.configure(data.get("faults", []), data.get("seed"))
                emulator.apply_stuck()
                return self._send(200, {"faults": emulator.faults.faults})
            if route == ("PUT", "/_emulator/rate-limit"):
                emulator.limiter.set(data.get("rps"))
                return self._send(200, {"rps": emulator.limiter.rps})
            if route == ("PUT", "/_emulator/delays"):
                with world.lock:
                    world.delays.update({k: float(v) for k, v in data.items() if k in world.delays})
                return self._send(200, world.delays)
            if route == ("POST", "/_emulator/tokens/expire"):
                with world.lock:
                    emulator.authenticator.expire_tokens()
                return self._send(200, {"expired": len(world.tokens)})
            if route == ("POST", "/_emulator/clock"):
                with world.lock:
                    world.clock.advance(data.get("advance", 0))
                return self._send(200, {"offset": world.clock.offset})
            if self.command == "PATCH" and path.startswith("/_emulator/items/"):
                return self._patch_item(world, path.rsplit("/", 1)[-1], data)
        except (FaultError, ValueError, KeyError, TypeError) as exc:
            return self._send(400, {"error": str(exc)})
        return self._send(404, {"error": "unknown admin path %s %s" % (self.command, path)})

    def _patch_item(self, world, item_id, data):
        with world.lock:
            item = world.find_item(item_id)
            if item is None:
                return self._send(404, {"error": "no item %s" % item_id})
            if "stuck" in data:
                item.stuck = bool(data.pop("stuck"))
            unknown = set(data) - set(item.fields)
            if unknown:
                return self._send(400, {"error": "unknown fields %s" % sorted(unknown)})
            item.pending = []
            item.set(world.clock.now(), **data)
            return self._send(200, item.view(world.clock.now()))

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _handle


class EmulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, emulator):
        super().__init__(address, Handler)
        self.emulator = emulator
