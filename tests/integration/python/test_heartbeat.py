"""A long wait is never silent: the controller shows a heartbeat with counts, and none when it is turned off."""
import json
import os
import re
import subprocess
import sys

from conftest import BIN, ROOT
from emulator_process import EmulatorProcess


def pause_all(emu, tmp_path, heartbeat):
    play = [{"hosts": "localhost", "connection": "local", "gather_facts": False, "tasks": [
        {"hwcloud.taskops.drs_batch_jobs": {"all_jobs": True, "state": "paused", "heartbeat": heartbeat,
                                            "return_items": "none"}}]}]
    path = tmp_path / "pause.yml"
    path.write_text(json.dumps(play))
    env = dict(os.environ, ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_NOCOLOR="1", **emu.env)
    done = subprocess.run([os.path.join(BIN, "ansible-playbook"), str(path)], env=env, cwd=ROOT, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300, check=False)
    assert done.returncode == 0, done.stdout[-3000:]
    return done.stdout


def test_a_wait_shows_settled_and_pending_counts_and_stays_quiet_when_asked(tmp_path):
    scenario = tmp_path / "drs.yml"
    scenario.write_text(json.dumps({"drs": {"generate": {"count": 8, "statuses": {"INCRE_TRANSFER_STARTED": 1}}}}))
    with EmulatorProcess(scenario=str(scenario), extra_args=["--delay", "3"]) as emu:
        output = pause_all(emu, tmp_path, 1)
        beats = re.findall(r"drs_batch_jobs \[localhost\]: waiting after (\d+) s: (\d+) settled, (\d+) pending, "
                           r"0 failed of 8 acted on", output)
        assert len(beats) >= 2, output
        assert all(int(settled) + int(pending) == 8 for dummy, settled, pending in beats)
        assert [int(s) for s, dummy, dummy in beats] == sorted(int(s) for s, dummy, dummy in beats)
        assert not list(tmp_path.glob("hwcloud-progress-*"))

        emu.reset()
        assert "waiting after" not in pause_all(emu, tmp_path, 0)
