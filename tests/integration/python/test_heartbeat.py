"""A long wait is never silent: the controller shows a heartbeat with counts, and none when it is turned off."""
import json
import re

from conftest import run_play
from hwc_emulator.testing import EmulatorProcess


def pause_all(emu, tmp_path, heartbeat):
    task = {"hwcloud.taskops.drs_batch_jobs": {"all_jobs": True, "state": "paused", "heartbeat": heartbeat,
                                               "return_items": "none"}}
    return run_play(emu, tmp_path, [task])[0]


def test_a_wait_shows_settled_and_pending_counts_and_stays_quiet_when_asked(tmp_path):
    scenario = tmp_path / "drs.yml"
    scenario.write_text(json.dumps({"drs": {"generate": {"count": 8, "statuses": {"INCRE_TRANSFER_STARTED": 1}}}}))
    with EmulatorProcess(scenario=str(scenario), args=["--delay", "3"]) as emu:
        output = pause_all(emu, tmp_path, 1)
        beats = re.findall(r"drs_batch_jobs \[localhost\]: waiting after (\d+) s: (\d+) settled, (\d+) pending, "
                           r"0 failed of 8 acted on", output)
        assert len(beats) >= 2, output
        assert all(int(settled) + int(pending) == 8 for dummy, settled, pending in beats)
        assert [int(s) for s, dummy, dummy in beats] == sorted(int(s) for s, dummy, dummy in beats)
        assert not list(tmp_path.glob("hwcloud-progress-*"))

        emu.admin.reset()
        assert "waiting after" not in pause_all(emu, tmp_path, 0)


def test_a_task_run_with_async_still_works_and_the_heartbeat_steps_aside(tmp_path):
    scenario = tmp_path / "drs.yml"
    scenario.write_text(json.dumps({"drs": {"generate": {"count": 4, "statuses": {"INCRE_TRANSFER_STARTED": 1}}}}))
    with EmulatorProcess(scenario=str(scenario), args=["--delay", "1"]) as emu:
        task = {"hwcloud.taskops.drs_batch_jobs": {"all_jobs": True, "state": "paused", "heartbeat": 1},
                "async": 120, "poll": 1, "register": "result"}
        output, saved = run_play(emu, tmp_path, [task], save=["result"])
        assert saved["result"]["summary"]["changed"] == 4 and "ASYNC OK" in output
        assert "waiting after" not in output
