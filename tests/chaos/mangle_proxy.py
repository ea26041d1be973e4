"""A proxy between the modules and the emulator that mangles the answers it passes back.

Every request reaches the emulator unchanged, so a write takes effect; only the answer is spoiled. ``mode``
says how, ``target`` which answers: ``writes`` (calls that change state), ``reads``, or ``half`` (a seeded half
of all answers).
"""
import http.client
import json
import random
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HUGE_BYTES = 24 * 1024 * 1024
# DRS reads by POST: list, status and detail are queries, not writes.
READS_BY_POST = ("/jobs", "/jobs/batch-status", "/jobs/batch-detail")
SLOW_PAUSE = 0.05


def _swap_types(value):
    """Every value of the wrong type: strings become numbers, numbers strings, lists objects, objects lists."""
    if isinstance(value, dict):
        return dict((key, _swap_types(item)) for key, item in value.items())
    if isinstance(value, list):
        return {"items": value}
    if isinstance(value, bool) or value is None:
        return "yes"
    if isinstance(value, (int, float)):
        return str(value) + "x"
    return 12345


def _drop_fields(value, depth=0):
    """Every other field gone, at every level, so required ones go missing."""
    if isinstance(value, dict):
        return dict((key, _drop_fields(item, depth + 1)) for index, (key, item) in enumerate(sorted(value.items()))
                    if index % 2 == depth % 2)
    if isinstance(value, list):
        return [_drop_fields(item, depth) for item in value]
    return value


def _add_fields(value):
    if isinstance(value, dict):
        spoiled = dict((key, _add_fields(item)) for key, item in value.items())
        spoiled["x_unexpected"] = {"nested": [1, "two", None]}
        return spoiled
    if isinstance(value, list):
        return [_add_fields(item) for item in value]
    return value


def _json_edit(edit):
    def mangle(status, headers, body):
        try:
            document = json.loads(body.decode("utf-8")) if body else {}
        except ValueError:
            return status, headers, body
        return status, headers, json.dumps(edit(document)).encode()
    return mangle


def _fixed(status, body, content_type="application/json"):
    return lambda *answer: (status, {"Content-Type": content_type}, body)


def _huge(status, headers, body):
    # A valid answer, padded to tens of megabytes.
    text = body.decode("utf-8") or "{}"
    padded = '{"x_padding": "%s", %s' % ("x" * HUGE_BYTES, text.lstrip()[1:]) if text.strip() != "{}" else \
        '{"x_padding": "%s"}' % ("x" * HUGE_BYTES)
    return status, headers, padded.encode()


MANGLERS = {
    "truncated": lambda status, headers, body: (status, headers, body[:max(len(body) // 2, 1)]),
    "html": _fixed(200, b"<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html"),
    "empty": _fixed(200, b""),
    "null": _fixed(200, b"null"),
    "wrong_types": _json_edit(_swap_types),
    "missing_fields": _json_edit(_drop_fields),
    "extra_fields": _json_edit(_add_fields),
    "error_200": _fixed(200, b'{"error_code": "APIGW.0101", "error_msg": "The API does not exist or has not been '
                             b'published in the environment"}'),
    "huge": _huge,
    "slow_body": lambda *answer: answer,  # sent 4 bytes at a time, see Handler
    "slow_headers": lambda *answer: answer,
    "redirect": lambda status, headers, body: (302, {"Location": "http://maintenance.invalid/moved"}, b""),
}


class MangleProxy:
    def __init__(self, upstream, seed=1):
        self.upstream = urllib.parse.urlsplit(upstream)
        self.mode = None
        self.target = "writes"
        self.mangled = 0
        self.rng = random.Random(seed)
        self._lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.url = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def _should_mangle(self, method, path):
        with self._lock:
            if self.mode is None:
                return False
            if self.target == "half":
                chosen = self.rng.random() < 0.5
            else:
                read = method == "GET" or path.split("?")[0].endswith(READS_BY_POST)
                chosen = read == (self.target == "reads")
            self.mangled += chosen
            return chosen

    def _forward(self, method, path, headers, body):
        connection = http.client.HTTPConnection(self.upstream.hostname, self.upstream.port, timeout=30)
        try:
            connection.request(method, path, body=body or None, headers=headers)
            answer = connection.getresponse()
            kept = dict((k, v) for k, v in answer.getheaders()
                        if k.lower() in ("content-type", "x-request-id", "retry-after"))
            return answer.status, kept, answer.read()
        finally:
            connection.close()

    def _handler(self):
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = dict((k, v) for k, v in self.headers.items() if k.lower() != "connection")
                status, answer_headers, answer = proxy._forward(self.command, self.path, headers, body)
                mode = proxy.mode
                if proxy._should_mangle(self.command, self.path):
                    status, answer_headers, answer = MANGLERS[mode](status, answer_headers, answer)
                else:
                    mode = None
                self.close_connection = True
                try:
                    self._answer(status, answer_headers, answer, mode)
                except OSError:
                    pass  # the client gave up on a slow answer, as it should

            def _answer(self, status, headers, body, mode):
                head = ["HTTP/1.1 %d Mangled" % status] + ["%s: %s" % item for item in headers.items()]
                head += ["Content-Length: %d" % len(body), "Connection: close", "", ""]
                head = "\r\n".join(head).encode("latin-1")
                if mode == "slow_headers":  # long enough that only a whole-request deadline ends it early
                    head = head.replace(b"\r\n", b"\r\nX-Padding: %s\r\n" % (b"p" * 2000), 1)
                if mode in ("slow_headers", "slow_body"):
                    quick, slow = (b"", head + body) if mode == "slow_headers" else (head, body)
                    self.wfile.write(quick)
                    for start in range(0, len(slow), 4):
                        self.wfile.write(slow[start:start + 4])
                        self.wfile.flush()
                        time.sleep(SLOW_PAUSE)
                else:
                    self.wfile.write(head + body)

            do_GET = do_POST = do_PUT = do_DELETE = _handle

        return Handler
