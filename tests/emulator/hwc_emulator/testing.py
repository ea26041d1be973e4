"""Run the emulator from tests: as a process or in-process, with a client for its admin API.

    from hwc_emulator.testing import EmulatorProcess

    with EmulatorProcess(scenario="scenario.yml", args=["--delay", "0.2"]) as emu:
        env = dict(os.environ, **emu.env)       # the HW_* variables that point a client at it
        objects = emu.admin.objects()

``EmulatorProcess`` runs ``python -m hwc_emulator serve`` (what a user runs), so a test sees a real server that
can be killed; ``InProcessEmulator`` serves from a thread of the test's own process, where a test may also reach
into the world it serves. The pytest plugin (``hwc_emulator.pytest_plugin``) builds fixtures on both.
Standard library only: a project can use it with nothing but the emulator installed.
"""

import json
import os
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request


class AdminError(Exception):
    """The admin API refused a request: its HTTP status and answer."""

    def __init__(self, status, body):
        super().__init__("admin API answered %s: %s" % (status, body))
        self.status = status
        self.body = body


class AdminClient:
    """The emulator's admin API (docs/emulator.md): state, statistics, faults, clock and scenario resets.

    ``admin(method, path, body)`` sends any admin request; the methods below name the common ones.
    """

    def __init__(self, url, timeout=30):
        self.url = url.rstrip("/") + "/_emulator"
        self.timeout = timeout

    def __call__(self, method, path, body=None):
        data = json.dumps(body).encode("utf-8") if body is not None else None
        request = urllib.request.Request("%s/%s" % (self.url, path.lstrip("/")), data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            raise AdminError(exc.code, exc.read().decode("utf-8", "replace")) from None

    def health(self):
        return self("GET", "health")

    def objects(self):
        """Every object of every service, as the services would show it now."""
        return self("GET", "objects")

    def stats(self):
        """Requests counted by operation and status, writes included."""
        return self("GET", "stats")

    def requests(self, since=0):
        """The request log (no header or body is kept): entries after sequence number ``since``."""
        return self("GET", "requests?since=%d" % int(since))["requests"]

    def inflight(self):
        return self("GET", "inflight")["requests"]

    def reset(self, scenario=None, faults=None, rate_limit=None):
        """Back to ``scenario`` (default: the one it started with), its faults, and cleared statistics."""
        body = {"rate_limit": rate_limit}
        if scenario is not None:
            body["scenario"] = scenario
        if faults is not None:
            body["faults"] = faults
        return self("POST", "reset", body)

    def set_faults(self, faults, seed=None):
        body = {"faults": faults}
        if seed is not None:
            body["seed"] = seed
        return self("PUT", "faults", body)

    def set_rate_limit(self, rps):
        return self("PUT", "rate-limit", {"rps": rps})

    def set_delays(self, **seconds):
        """Seconds per status transition, by service: ``set_delays(roma=0.5)``."""
        return self("PUT", "delays", seconds)

    def expire_tokens(self):
        return self("POST", "tokens/expire", {})

    def advance_clock(self, seconds):
        return self("POST", "clock", {"advance": seconds})

    def patch_item(self, item_id, **fields):
        """Set an object's fields (its pending transitions are dropped); ``stuck=True`` freezes it."""
        return self("PATCH", "items/%s" % item_id, fields)

    def wait_idle(self, timeout=120):
        """Wait until no request is being served: one a killed client left held ends, and counts, first."""
        deadline = time.monotonic() + timeout
        while self.inflight():
            if time.monotonic() > deadline:
                raise TimeoutError("the emulator still serves requests after %s s" % timeout)
            time.sleep(0.1)


class EmulatorProcess:
    """``hwc-emulator serve`` as a child process, on a free port, for the length of a ``with`` block."""

    def __init__(self, scenario=None, args=(), startup_timeout=30, python=None):
        self.scenario = scenario
        self.args = list(args)
        self.startup_timeout = startup_timeout
        self.python = python or sys.executable
        self.workdir = None
        self.process = None
        self.log_path = None
        self.env = {}
        self.admin = None

    @property
    def url(self):
        return self.env["HWC_EMULATOR_URL"]

    def __enter__(self):
        self.workdir = tempfile.mkdtemp(prefix="hwc-emulator-")
        env_file = os.path.join(self.workdir, "emulator.env")
        self.log_path = os.path.join(self.workdir, "emulator.log")
        command = [self.python, "-m", "hwc_emulator", "serve", "--port", "0", "--env-file", env_file]
        if self.scenario:
            command += ["--scenario", str(self.scenario)]
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen(command + self.args, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + self.startup_timeout
        while not os.path.exists(env_file):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                with open(self.log_path) as log:
                    raise RuntimeError("the emulator did not start: %s" % log.read()[-2000:])
            time.sleep(0.02)
        self.env = read_env_file(env_file)
        self.admin = AdminClient(self.url)
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __exit__(self, *exc):
        self.stop()
        return False


class InProcessEmulator:
    """The emulator served from a thread of this process; ``world`` is what it serves, under ``world.lock``."""

    def __init__(self, scenario=None, seed=0, faults=None, rate_limit=None, host="127.0.0.1"):
        # Imported here so that EmulatorProcess users load nothing of the server.
        from hwc_emulator.cli import client_environment, default_scenario
        from hwc_emulator.server import Emulator, EmulatorServer
        from hwc_emulator.world import World

        self.world = World(scenario if scenario is not None else default_scenario(), seed=seed)
        self.emulator = Emulator(self.world, faults=faults, rate_limit=rate_limit, seed=seed)
        self.server = EmulatorServer((host, 0), self.emulator)
        self.url = "http://%s:%d" % (host, self.server.server_address[1])
        self.env = client_environment(self.world, self.url)
        self.admin = AdminClient(self.url)
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1},
                                        daemon=True)
        self._thread.start()

    def item(self, item_id):
        """One object as its service shows it now (ROMA task, DRS job or VIAS child task)."""
        with self.world.lock:
            return self.world.find_item(item_id).view(self.world.clock.now())

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def read_env_file(path):
    """The variables ``hwc-emulator serve --env-file`` wrote (shell-quoted ``KEY=value`` lines)."""
    env = {}
    with open(path) as handle:
        for line in handle:
            key, dummy, value = line.rstrip("\n").partition("=")
            env[key] = shlex.split(value)[0] if value else ""
    return env
