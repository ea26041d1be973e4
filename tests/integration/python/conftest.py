"""Fixtures for end-to-end tests that drive the collection's playbooks against a real emulator process."""
import json
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
INTEGRATION = os.path.dirname(HERE)
ROOT = os.path.dirname(os.path.dirname(INTEGRATION))
BIN = os.path.dirname(sys.executable)
# processes.py (killing a run with what it started) sits beside this folder.
sys.path.insert(0, INTEGRATION)


# The emulator comes from its package's pytest plugin (hwc_emulator.pytest_plugin): one process per session
# (per xdist worker), idle and reset before each test.
@pytest.fixture(scope="session")
def hwc_emulator_scenario():
    return os.path.join(INTEGRATION, "scenario.yml")


@pytest.fixture(scope="session")
def hwc_emulator_args():
    return ["--delay", "0.2"]


@pytest.fixture(scope="session")
def emulator(hwc_emulator):
    return hwc_emulator


@pytest.fixture
def emu(hwc_emulator_fresh):
    return hwc_emulator_fresh


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
