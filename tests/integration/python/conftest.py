"""Fixtures for end-to-end tests that drive the collection's playbooks against a real emulator process."""
import json
import os
import subprocess
import sys
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
INTEGRATION = os.path.dirname(HERE)
ROOT = os.path.dirname(os.path.dirname(INTEGRATION))
BIN = os.path.dirname(sys.executable)
sys.path.insert(0, INTEGRATION)

from emulator_process import EmulatorProcess  # noqa: E402  pylint: disable=wrong-import-position


@pytest.fixture(scope="session")
def emulator():
    with EmulatorProcess(scenario=os.path.join(INTEGRATION, "scenario.yml"), extra_args=["--delay", "0.2"]) as emu:
        yield emu


@pytest.fixture
def emu(emulator):
    # A request a killed run left held in the emulator (a 'hang' fault) ends, and counts, later: let it end
    # before this test starts, so it never shows up as this test's write.
    deadline = time.monotonic() + 120
    while emulator.admin("GET", "inflight")["requests"] and time.monotonic() < deadline:
        time.sleep(0.1)
    emulator.reset()
    return emulator


def snapshot(emu):
    objects = emu.admin("GET", "objects")
    return {
        "roma": dict((t["task_id"], t["status"]) for tasks in objects["roma"].values() for t in tasks),
        "drs": dict((j["id"], j["status"]) for j in objects["drs"]),
        "vias": dict((c["id"], c["state"]) for b in objects["vias"] for c in b["tasks"]),
    }


WINDOW = {
    "maintenance_window_poll_interval": 0.2,
    "maintenance_window_recheck_delay": 1,
    "maintenance_window_wait_timeout": 30,
    "maintenance_window_roma": [{"instance_id": "inst-it",
                                 "task_names": ["orders-sync", "orders-audit", "stock-feed", "billing-hourly"]},
                                {"instance_id": "inst-bulk", "all_tasks": True}],
    "maintenance_window_drs": {"job_names": ["orders-replica", "billing-replica", "archive-replica", "new-replica"]},
    "maintenance_window_vias": {"batch_task_names": ["gate-cams", "yard-cams", "moving-cams", "mixed-cams"]},
}


class Runner:
    def __init__(self, emu, tmp_path):
        self.emu = emu
        self.tmp_path = tmp_path
        self.state_dir = str(tmp_path / "state")

    def variables(self, window_id, **extra):
        data = dict(WINDOW, maintenance_window_id=window_id, maintenance_window_state_dir=self.state_dir)
        data.update(extra)
        path = self.tmp_path / ("%s.json" % window_id)
        path.write_text(json.dumps(data))
        return str(path)

    def env(self):
        return dict(os.environ, ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_NOCOLOR="1", **self.emu.env)

    def command(self, playbook, vars_file, *args):
        return [os.path.join(BIN, "ansible-playbook"), "hwcloud.taskops.%s" % playbook, "-e", "@" + vars_file] + list(args)

    def run(self, playbook, vars_file, *args):
        done = subprocess.run(self.command(playbook, vars_file, *args), env=self.env(), cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300, check=False)
        return done.returncode, done.stdout

    def start(self, playbook, vars_file, *args):
        return subprocess.Popen(self.command(playbook, vars_file, *args), env=self.env(), cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)

    def host_dir(self, host="localhost"):
        return os.path.join(self.state_dir, host)

    def state_file(self, window_id, host="localhost"):
        return os.path.join(self.host_dir(host), window_id + ".json")

    def record(self, window_id):
        with open(self.state_file(window_id)) as handle:
            return json.load(handle)

    def report(self, window_id, name):
        with open(os.path.join(self.host_dir(), "reports", name % window_id)) as handle:
            return handle.read()


@pytest.fixture
def runner(emu, tmp_path):
    return Runner(emu, tmp_path)


def run_play(emu, tmp_path, tasks, save=(), timeout=600):
    """Run ``tasks`` on localhost against ``emu`` with ansible-playbook (it must succeed); the registered
    variables named in ``save`` come back as a dict, with the run's output."""
    tasks = list(tasks)
    if save:
        content = "{{ {%s} | to_json }}" % ", ".join("'%s': %s" % (name, name) for name in save)
        tasks.append({"ansible.builtin.copy": {"content": content, "dest": str(tmp_path / "saved.json"),
                                               "mode": "0600"}, "check_mode": False})
    path = tmp_path / "play.json"
    path.write_text(json.dumps([{"hosts": "localhost", "connection": "local", "gather_facts": False,
                                 "tasks": tasks}]))
    env = dict(os.environ, ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_NOCOLOR="1", **emu.env)
    done = subprocess.run([os.path.join(BIN, "ansible-playbook"), str(path)], env=env, cwd=ROOT, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout, check=False)
    assert done.returncode == 0, done.stdout[-3000:]
    saved = json.loads((tmp_path / "saved.json").read_text()) if save else {}
    return done.stdout, saved
