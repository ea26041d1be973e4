"""An instance beyond the listing's offset limit (20,000), end to end: every running task of 50,000 is stopped
and started again, and the listing never asks for an offset the API refuses."""
import os

import pytest

from conftest import run_play
from hwc_emulator.testing import EmulatorProcess

INSTANCE = "inst-gen-0001"
SIZE = int(os.environ.get("HWC_BIG_INSTANCE", "50000"))


@pytest.fixture(scope="module")
def big():
    with EmulatorProcess(args=["--generate", "roma=%d" % SIZE, "--delay", "0.5"]) as emu:
        yield emu


def statuses(emu):
    return dict((t["task_id"], t["status"]) for t in emu.admin("GET", "objects")["roma"][INSTANCE])


def run(emu, tmp_path, state, ids=None):
    args = {"instance_id": INSTANCE, "state": state, "return_items": "changed", "poll_interval": 2,
            "wait_timeout": 300}
    args.update({"task_ids": ids} if ids else {"all_tasks": True})
    return run_play(emu, tmp_path, [{"hwcloud.taskops.roma_fdi_tasks": args, "register": "result"}],
                    save=["result"])[1]["result"]


def test_fifty_thousand_tasks_stop_and_start_again(big, tmp_path):
    before = statuses(big)
    running = sorted(i for i, s in before.items() if s == 1)
    assert len(before) == SIZE and len(running) > 20979  # more than one listing query reaches

    stopped = run(big, tmp_path, "stopped")
    assert stopped["summary"]["changed"] == len(running) and not stopped["failed_ids"]
    assert sorted(stopped["changed_ids"]) == running
    assert set(statuses(big).values()) == {0}

    started = run(big, tmp_path, "started", ids=running)
    assert sorted(started["changed_ids"]) == running
    assert statuses(big) == before

    log = big.admin("GET", "requests")
    offsets = [int(r["path"].split("offset=")[1].split("&")[0]) for r in log.get("requests", log)
               if "offset=" in r["path"]]
    assert offsets and max(offsets) <= 20000
