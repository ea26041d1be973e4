"""Start the bundled emulator as a real process for integration runs, benchmarks and the demo."""
import json
import os
import shlex
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

BIN = os.path.dirname(sys.executable)


class EmulatorProcess:
    def __init__(self, scenario=None, extra_args=(), startup_timeout=30):
        self.scenario = scenario
        self.extra_args = list(extra_args)
        self.startup_timeout = startup_timeout
        self.workdir = None
        self.process = None
        self.env = {}

    def __enter__(self):
        self.workdir = tempfile.mkdtemp(prefix="hwc-emulator-")
        env_file = os.path.join(self.workdir, "emulator.env")
        command = [os.path.join(BIN, "hwc-emulator"), "serve", "--port", "0", "--env-file", env_file]
        if self.scenario:
            command += ["--scenario", self.scenario]
        self.log = open(os.path.join(self.workdir, "emulator.log"), "w")
        self.process = subprocess.Popen(command + self.extra_args, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + self.startup_timeout
        while not os.path.exists(env_file):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.__exit__(None, None, None)
                raise RuntimeError("the emulator did not start; see %s" % self.log.name)
            time.sleep(0.02)
        with open(env_file) as handle:
            for line in handle:
                key, dummy, value = line.rstrip("\n").partition("=")
                self.env[key] = shlex.split(value)[0] if value else ""
        return self

    @property
    def admin_url(self):
        return self.env["HWC_EMULATOR_URL"] + "/_emulator"

    def admin(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request("%s/%s" % (self.admin_url, path), data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read().decode())

    def reset(self):
        return self.admin("POST", "reset", {})

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        if getattr(self, "log", None):
            self.log.close()
        return False


def descendants(pid):
    """Every process below ``pid`` (Linux /proc), including those that started a session of their own."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as handle:
                ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def kill_tree(process):
    """SIGKILL a run and everything it started, as a crash of the controller would.

    ansible-playbook's workers run in sessions of their own, so killing its process group alone leaves the
    current task running (and writing) after the 'crash'.
    """
    # Freeze the tree first, until no new process appears: a worker forked between a scan and the kill would
    # otherwise live on, reparented, and keep writing.
    frozen = set()
    while True:
        new = [pid for pid in [process.pid] + descendants(process.pid) if pid not in frozen]
        if not new:
            break
        for pid in new:
            _signal(pid, signal.SIGSTOP)
        frozen.update(new)
    for pid in frozen:
        _signal(pid, signal.SIGKILL)
    process.wait()


def _signal(pid, number):
    try:
        os.kill(pid, number)
    except OSError:
        pass
