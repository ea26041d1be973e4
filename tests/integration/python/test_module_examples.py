"""Every module's EXAMPLES run as written: each module's examples, in order, are one play run by ansible-playbook
against an emulator whose objects carry the names and ids the examples use. Only the variables the examples
leave to the reader (an instance id, vaulted keys, lists of ids) are given."""
import ast
import glob
import json
import os
import subprocess

import pytest
import yaml
from hwc_emulator.testing import EmulatorProcess

from conftest import BIN, ROOT

MODULES = sorted(glob.glob(os.path.join(ROOT, "plugins", "modules", "*.py")))
SCENARIO = {
    "seed": 5,
    "delays": {"roma": 0.2, "drs": 0.2, "vias": 0.2},
    "roma": {"instances": [{"id": "inst-examples", "tasks": [
        {"id": "ex-rt-1", "name": "orders-sync", "type": "realtime", "status": "running", "tag": "orders"},
        {"id": "ex-tm-1", "name": "billing-etl", "type": "timing", "status": "running", "tag": "billing"},
        {"id": "ex-rt-2", "name": "nightly-load", "type": "realtime", "status": "running", "tag": "nightly"},
        {"id": "ex-rt-3", "name": "stock-feed", "type": "realtime", "status": "stopped", "tag": "stock"},
    ]}]},
    "drs": {"jobs": [
        {"id": "0e000000-0000-4000-8000-000000000001", "name": "orders-replica", "status": "INCRE_TRANSFER_STARTED"},
        {"id": "0e000000-0000-4000-8000-000000000002", "name": "billing-replica", "status": "INCRE_TRANSFER_STARTED"},
        {"id": "8d0e8e36-a618-490d-8a46-8c61ac9jb502", "name": "scheduled-replica", "status": "CONFIGURATION"},
        {"id": "0e000000-0000-4000-8000-000000000004", "name": "broken-replica", "status": "INCRE_TRANSFER_FAILED"},
    ]},
    "vias": {"batches": [
        {"id": "0b0000000000000000000000000000e1", "name": "gate-cams", "tasks": [
            {"id": "0c0000000000000000000000000000a1", "name": "gate-1", "state": "RUNNING"},
            {"id": "0c0000000000000000000000000000a2", "name": "gate-2", "state": "RUNNING"},
            {"id": "0c0000000000000000000000000000a3", "name": "gate-3", "state": "RUNNING"}]},
        {"id": "0b0000000000000000000000000000e2", "name": "yard-cams", "task_count": 2, "state": "RUNNING"},
        {"id": "0d47bbf52962414bb7ae27fb6ea24230", "name": "lobby-cams", "task_count": 2, "state": "STOPPED"},
    ]},
}


def examples(path):
    tree = ast.parse(open(path).read())
    text = next(node.value.value for node in tree.body
                if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "EXAMPLES")
    return yaml.safe_load(text)


@pytest.fixture(scope="module")
def examples_emulator(tmp_path_factory):
    path = tmp_path_factory.mktemp("examples") / "scenario.json"
    path.write_text(json.dumps(SCENARIO))
    with EmulatorProcess(scenario=str(path)) as emulator:
        yield emulator


@pytest.mark.parametrize("module", MODULES, ids=[os.path.basename(m)[:-3] for m in MODULES])
def test_the_examples_run_as_written(examples_emulator, tmp_path, module):
    emu = examples_emulator
    emu.admin.reset()
    tasks = examples(module)
    variables = {
        "roma_instance_id": "inst-examples", "task_ids_to_stop": ["ex-rt-1", "ex-rt-2"],
        "vault_hw_access_key": emu.env["HW_ACCESS_KEY"], "vault_hw_secret_key": emu.env["HW_SECRET_KEY"],
        "drs_job_ids": ["0e000000-0000-4000-8000-000000000001", "0e000000-0000-4000-8000-000000000004"],
    }
    play = tmp_path / "examples.json"
    play.write_text(json.dumps([{"hosts": "localhost", "connection": "local", "gather_facts": False,
                                 "vars": variables, "tasks": tasks}]))
    env = dict(os.environ, ANSIBLE_NOCOLOR="1", HOME=str(tmp_path), **emu.env)
    env["ANSIBLE_PYTHON_INTERPRETER"] = os.path.join(BIN, "python")
    done = subprocess.run([os.path.join(BIN, "ansible-playbook"), str(play)], env=env, cwd=str(tmp_path), text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600, check=False)
    assert done.returncode == 0, done.stdout[-4000:]
    # Every example ran (a block shows only its tasks).
    names = [t["name"] for task in tasks for t in (task.get("block") or [task])]
    missing = [name for name in names if "TASK [%s]" % name not in done.stdout]
    assert not missing, (missing, done.stdout[-3000:])
