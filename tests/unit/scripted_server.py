"""A local HTTP server that answers from a script, to test the transport against real sockets.

Each scripted step is a dict: {"status": 429, "headers": {...}, "body": b"..."} answers normally;
{"reset": True} closes the connection without an answer; {"delay": 2.0, ...} waits first;
{"dribble": 0.05, ...} sends the body 4 bytes at a time with that pause between them;
{"dribble_headers": 0.05, ...} sends the status line and headers that way too.
Requests are recorded (method, path, headers, body). When the script runs out it answers 200 {}.
"""
import json
import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class ScriptedServer:
    def __init__(self):
        self.script = []
        self.requests = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                with server._lock:
                    server.requests.append({"method": self.command, "path": self.path,
                                            "headers": dict(self.headers), "body": body})
                    step = server.script.pop(0) if server.script else {"status": 200, "body": b"{}"}
                if step.get("delay"):
                    time.sleep(step["delay"])
                if step.get("reset"):
                    # SO_LINGER 0 makes close() send a TCP RST: a real "connection reset by peer".
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.connection.close()
                    self.close_connection = True
                    return
                payload = step.get("body", b"")
                if not isinstance(payload, bytes):
                    payload = json.dumps(payload).encode()
                if step.get("dribble_headers"):
                    self._dribble(b"HTTP/1.1 %d OK\r\nX-Padding: " % step.get("status", 200) + b"x" * 400,
                                  step["dribble_headers"])
                self.send_response(step.get("status", 200))
                for name, value in step.get("headers", {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if step.get("dribble"):
                    self._dribble(payload, step["dribble"])
                else:
                    self.wfile.write(payload)

            def _dribble(self, data, pause):
                # A slow-loris answer: a few bytes at a time, each well within any socket timeout.
                try:
                    for start in range(0, len(data), 4):
                        self.wfile.write(data[start:start + 4])
                        self.wfile.flush()
                        time.sleep(pause)
                except OSError:
                    self.close_connection = True  # the client gave up, as it should

            do_GET = do_POST = do_PUT = do_DELETE = _handle

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
