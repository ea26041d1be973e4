"""DRS batch size: the default sends 100 jobs per call; a service that takes fewer (the emulator's switch
drs.batch_limit, UNCONFIRMED for the real one) costs a few split calls, never a failed job."""
import json

import pytest

from conftest import run_play
from hwc_emulator.testing import EmulatorProcess

JOBS = 60


def scenario(tmp_path, limit):
    data = {"drs": {"batch_limit": limit,
                    "generate": {"count": JOBS, "statuses": {"INCRE_TRANSFER_STARTED": 1}}}}
    path = tmp_path / "drs-limit.yml"
    path.write_text(json.dumps(data))
    return str(path)


def pause_all(emu, tmp_path):
    task = {"hwcloud.taskops.drs_batch_jobs": {"all_jobs": True, "state": "paused", "poll_interval": 1,
                                               "wait_timeout": 120}, "register": "result"}
    return run_play(emu, tmp_path, [task], save=["result"])[1]["result"]


# 60 jobs against a limit of 10: refused as 60, 2 x 30 and 4 x 15, then 8 calls of 7 or 8 pass.
@pytest.mark.parametrize("limit,calls,refused", [(100, 1, 0), (10, 15, 7)])
def test_every_job_pauses_whatever_the_per_call_limit(tmp_path, limit, calls, refused):
    with EmulatorProcess(scenario=scenario(tmp_path, limit), args=["--delay", "0.3"]) as emu:
        result = pause_all(emu, tmp_path)
        assert result["summary"]["changed"] == JOBS and not result["failed_ids"], json.dumps(result)[:1500]
        assert set(j["status"] for j in emu.admin("GET", "objects")["drs"]) == {"PAUSING"}
        writes = emu.admin("GET", "stats")["by_operation"]["drs.batch_pause"]
        assert sum(writes.values()) == calls
        assert writes.get("400", 0) == refused
