"""Replication health gates end to end: the gate before a pause holds a job until it catches up and fails one
that never does (or pauses it when told); the gate after a resume reports done only under the threshold."""
import json

from conftest import run_play
from hwc_emulator.testing import EmulatorProcess

JOBS = [
    {"id": "e1111111-1111-4111-8111-111111111111", "name": "catching-up", "status": "INCRE_TRANSFER_STARTED",
     "delay_ms": 6000},
    {"id": "e2222222-2222-4222-8222-222222222222", "name": "hopeless", "status": "INCRE_TRANSFER_STARTED",
     "delay_ms": 900000, "delay_floor_ms": 600000},
]


def run(tmp_path, emu, check_mode=False, **args):
    task = {"hwcloud.taskops.drs_batch_jobs": dict({"job_names": ["catching-up", "hopeless"], "poll_interval": 1,
                                                    "max_delay": 2, "delay_timeout": 8}, **args),
            "register": "result", "ignore_errors": True, "check_mode": check_mode}
    result = run_play(emu, tmp_path, [task], save=["result"])[1]["result"]
    return result, dict((j["name"], j) for j in result["jobs"])


def statuses(emu):
    return dict((j["name"], j["status"]) for j in emu.admin("GET", "objects")["drs"])


def emulator(tmp_path, drain=2000):
    path = tmp_path / "drs.json"
    path.write_text(json.dumps({"drs": {"delay_drain_ms_per_s": drain, "jobs": JOBS}}))
    return EmulatorProcess(scenario=str(path), args=["--delay", "0.3"])


def test_the_gate_before_a_pause_waits_for_a_replica_to_catch_up_and_fails_one_that_cannot(tmp_path):
    with emulator(tmp_path) as emu:
        result, jobs = run(tmp_path, emu, state="paused")
        assert jobs["catching-up"]["result"] == "changed" and jobs["catching-up"]["delay_before"] <= 2
        assert jobs["hopeless"]["result"] == "failed" and jobs["hopeless"]["error_code"] == "REPLICATION_LAGGING"
        assert jobs["hopeless"]["delay_before"] >= 600
        assert result["failed_ids"] == [JOBS[1]["id"]] and result["changed_ids"] == [JOBS[0]["id"]]
        assert statuses(emu) == {"catching-up": "PAUSING", "hopeless": "INCRE_TRANSFER_STARTED"}

        emu.admin.reset()
        result, jobs = run(tmp_path, emu, state="paused", lagging="pause")
        assert jobs["hopeless"]["result"] == "changed" and "paused anyway" in jobs["hopeless"]["delay_note"]
        assert set(statuses(emu).values()) == {"PAUSING"}


def test_check_mode_reads_the_delays_once_and_writes_nothing(tmp_path):
    with emulator(tmp_path) as emu:
        result, jobs = run(tmp_path, emu, check_mode=True, state="paused", delay_timeout=600)
        assert jobs["hopeless"]["result"] == "would_change" and jobs["hopeless"]["delay_before"] >= 600
        assert set(statuses(emu).values()) == {"INCRE_TRANSFER_STARTED"}
        assert result["api_requests"] <= 3


def test_the_gate_after_a_resume_reports_done_only_under_the_threshold(tmp_path):
    with emulator(tmp_path, drain=3000) as emu:
        run(tmp_path, emu, state="paused", lagging="pause", max_delay=None)
        result, jobs = run(tmp_path, emu, state="running")
        assert jobs["catching-up"]["result"] == "changed" and jobs["catching-up"]["delay_after"] <= 2
        assert jobs["hopeless"]["result"] == "failed" and jobs["hopeless"]["error_code"] == "REPLICATION_LAGGING"
        assert sorted(result["changed_ids"]) == sorted(j["id"] for j in JOBS)  # both resumed: neither is lost
        assert set(statuses(emu).values()) == {"INCRE_TRANSFER_STARTED"}


def test_a_window_with_gates_restores_drs_and_reports_the_delays(emu, runner):
    from conftest import snapshot
    before = snapshot(emu)
    vars_file = runner.variables("gated", maintenance_window_drs_max_delay=5, maintenance_window_roma=[],
                                 maintenance_window_vias={})
    code, out = runner.run("maintenance_window", vars_file)
    assert code == 0, out
    assert snapshot(emu)["drs"] == before["drs"]
    acted = [i for i in runner.record("gated")["services"]["drs"]["items"] if i["plan"] == "act"]
    acted = dict((i["name"], i) for i in acted)
    orders, billing = acted["orders-replica"], acted["billing-replica"]
    assert orders["enter"]["delay_before"] <= 5 and orders["exit"]["delay_after"] <= 5
    # A job in its full transfer has no incremental delay to wait for: measured as nothing, never held.
    assert "delay_before" not in billing["enter"] and billing["exit"]["result"] == "changed"
    report = runner.report("gated", "%s-exit.md")
    assert "behind when paused" in report and "behind once resumed" in report
