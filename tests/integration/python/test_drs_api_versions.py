"""DRS on v3, on v5, and on auto with v3 withdrawn: the same pause, resume, scheduled start and retry give the
same per-job results; v5 never calls batch-stop (it ends jobs); the switches for v5's unconfirmed answers hold."""
import json
import os
import time

import pytest

from conftest import run_play
from hwc_emulator.testing import EmulatorProcess

JOBS = [
    {"id": "a1111111-1111-4111-8111-111111111111", "name": "orders", "status": "INCRE_TRANSFER_STARTED"},
    {"id": "a2222222-2222-4222-8222-222222222222", "name": "billing", "status": "INCRE_TRANSFER_STARTED",
     "db_use_type": "sync"},
    {"id": "a3333333-3333-4333-8333-333333333333", "name": "fresh", "status": "CONFIGURATION"},
    {"id": "a4444444-4444-4444-8444-444444444444", "name": "broken", "status": "INCRE_TRANSFER_FAILED"},
    {"id": "a5555555-5555-4555-8555-555555555555", "name": "idle", "status": "CONFIGURATION",
     "db_use_type": "cloudDataGuard"},
]
KEYS = ("name", "status_before", "status_after", "action", "result", "error_code")


def steps(api_version):
    start_at = str(int((time.time() + 600) * 1000))
    common = {"api_version": api_version, "poll_interval": 1, "wait_timeout": 60}
    tasks = [
        ("pause", dict(common, job_names=["orders", "billing"], state="paused", pause_mode="target")),
        ("pause_again", dict(common, job_names=["orders", "billing"], state="paused")),
        ("resume", dict(common, job_names=["orders", "billing"], state="running")),
        ("scheduled_start", dict(common, job_names=["fresh"], state="running", start_time=start_at)),
        ("retry", dict(common, job_names=["broken"], state="running", retry_failed=True)),
    ]
    play = []
    for name, args in tasks:
        play.append({"name": name, "hwcloud.taskops.drs_batch_jobs": args, "register": name})
    play.append({"hwcloud.taskops.drs_batch_jobs_info": {"api_version": api_version, "all_jobs": True},
                 "register": "info"})
    return [name for name, dummy in tasks] + ["info"], play


def run(tmp_path, switches, api_version):
    scenario = tmp_path / "drs.json"
    scenario.write_text(json.dumps({"drs": dict(switches, jobs=JOBS)}))
    names, tasks = steps(api_version)
    with EmulatorProcess(scenario=str(scenario), args=["--delay", "0.3"]) as emu:
        saved = run_play(emu, tmp_path, tasks, save=names)[1]
        log = emu.admin("GET", "requests")
    return saved, log.get("requests", log)


def outcome(results):
    return dict((step, [tuple(job.get(k) for k in KEYS) for job in sorted(r["jobs"], key=lambda j: j["name"])])
                for step, r in results.items() if step != "info")


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    return run(tmp_path_factory.mktemp("v3"), {}, "v3")


@pytest.mark.parametrize("switches,api_version", [
    ({}, "v5"),
    ({"v3": "withdrawn"}, "auto"),
    ({"v5_paused_status": "unchanged"}, "v5"),
    ({"v5_action_answer": "async"}, "v5"),
])
def test_v5_and_auto_give_the_same_results_as_v3(tmp_path, baseline, switches, api_version):
    v3_results, v3_log = baseline
    results, log = run(tmp_path, switches, api_version)
    assert outcome(results) == outcome(v3_results)
    assert all(r["api_version"] == "v5" for r in results.values())
    assert all(r["api_version"] == "v3" for r in v3_results.values())
    assert not [r for r in log if "batch-stop" in r["path"]]  # ends jobs: never used to pause
    v3_calls = [r for r in log if r["path"].startswith("/v3/") and "/jobs" in r["path"]]
    assert not v3_calls if api_version == "v5" else all(r["status"] == 404 for r in v3_calls) and len(v3_calls) == 6
    assert sorted(j["name"] for j in results["info"]["jobs"]) == sorted(j["name"] for j in v3_results["info"]["jobs"])


def test_the_baseline_did_what_it_says(baseline):
    results, log = baseline
    assert [j["result"] for j in results["pause"]["jobs"]] == ["changed", "changed"]
    assert [j["result"] for j in results["pause_again"]["jobs"]] == ["unchanged", "unchanged"]
    assert results["scheduled_start"]["jobs"][0]["status_after"] == "WAITING_FOR_START"
    assert results["retry"]["jobs"][0]["status_after"] == "INCRE_TRANSFER_STARTED"
    assert not [r for r in log if r["path"].startswith("/v5/")]


def test_a_window_restores_drs_on_auto_when_v3_is_gone(tmp_path):
    import yaml
    from conftest import INTEGRATION, Runner, snapshot
    scenario = yaml.safe_load(open(os.path.join(INTEGRATION, "scenario.yml")))
    scenario.setdefault("drs", {})["v3"] = "withdrawn"
    path = tmp_path / "withdrawn.json"
    path.write_text(json.dumps(scenario))
    with EmulatorProcess(scenario=str(path), args=["--delay", "0.2"]) as emu:
        runner = Runner(emu, tmp_path)
        before = snapshot(emu)
        code, out = runner.run("maintenance_window", runner.variables(
            "v5-window", maintenance_window_roma=[], maintenance_window_vias={}))
        assert code == 0, out
        assert snapshot(emu)["drs"] == before["drs"]
        record = runner.record("v5-window")
        acted = [i for i in record["services"]["drs"]["items"] if i["plan"] == "act"]
        assert len(acted) == 2 and all(i["exit"]["result"] == "changed" for i in acted)
        log = emu.admin("GET", "requests")
        v5_writes = [r for r in log.get("requests", log) if r["operation"] == "drs.v5_action"]
        assert len(v5_writes) == 2  # one pause at enter, one resume at exit
