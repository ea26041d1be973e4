"""The maintenance_window role and the collection playbooks, end to end against the emulator."""
import os
import signal
import subprocess
import time

from conftest import snapshot

STOPPED_BEFORE = {"roma": ["it-rt-stop-1", "it-tm-plan"], "drs": ["0a000000-0000-4000-8000-000000000004"]}


def writes(emu):
    return emu.admin("GET", "stats")["writes"]


def test_full_window_restores_every_object(emu, runner, tmp_path):
    maintenance = tmp_path / "maintenance.yml"
    maintenance.write_text("- name: Maintenance\n  ansible.builtin.debug:\n    msg: inside the window\n")
    before = snapshot(emu)
    code, out = runner.run("maintenance_window", runner.variables("full", maintenance_window_tasks=str(maintenance)))
    assert code == 0, out
    assert "inside the window" in out
    assert snapshot(emu) == before
    record = runner.record("full")
    assert record["status"] == "finished"
    assert len(record["services"]["roma"]["changed_ids"]) == 2 + 95
    assert sorted(record["services"]["drs"]["changed_ids"]) == ["0a000000-0000-4000-8000-000000000001",
                                                                "0a000000-0000-4000-8000-000000000002"]
    assert record["services"]["vias"]["changed_ids"] == ["0b000000000000000000000000000001"]
    for name in ("full-enter.json", "full-enter.md", "full-exit.json", "full-exit.md"):
        assert os.path.exists(os.path.join(runner.state_dir, "reports", name)), name
    report = open(os.path.join(runner.state_dir, "reports", "full-exit.md")).read()
    assert "## ROMA FDI tasks" in report and "orders-sync" in report and "brought back 97" in report


def test_items_stopped_before_the_window_stay_stopped(emu, runner):
    code, out = runner.run("maintenance_window", runner.variables("stopped-before"))
    assert code == 0, out
    record = runner.record("stopped-before")
    touched = set(record["services"]["roma"]["changed_ids"]) | set(record["exit"]["roma"]["changed_ids"])
    assert not touched & set(STOPPED_BEFORE["roma"])
    assert not set(record["services"]["drs"]["changed_ids"]) & set(STOPPED_BEFORE["drs"])
    after = snapshot(emu)
    assert all(after["roma"][i] == 0 for i in STOPPED_BEFORE["roma"])
    assert after["drs"][STOPPED_BEFORE["drs"][0]] == "CONFIGURATION"
    assert set(after["vias"][c] for c in after["vias"] if c not in
               [k for k, v in snapshot(emu)["vias"].items() if v == "RUNNING"]) <= {"STOPPED", "FROZEN"}


def test_failure_inside_the_window_still_restores(emu, runner, tmp_path):
    failing = tmp_path / "failing.yml"
    failing.write_text("- name: Break\n  ansible.builtin.fail:\n    msg: the upgrade broke\n")
    before = snapshot(emu)
    code, out = runner.run("maintenance_window", runner.variables("broken", maintenance_window_tasks=str(failing)))
    assert code != 0 and "the upgrade broke" in out
    assert snapshot(emu) == before
    assert runner.record("broken")["status"] == "finished"


def test_killed_enter_is_restored_by_the_exit_runbook(emu, runner):
    before = snapshot(emu)
    vars_file = runner.variables("killed")
    process = subprocess.Popen(runner.command("maintenance_enter", vars_file), env=runner.env(),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while writes(emu) < 1 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)  # mid-enter: the first write has just been sent
    process.wait()
    assert writes(emu) >= 1
    assert runner.record("killed")["status"] == "entering"
    state_file = os.path.join(runner.state_dir, "killed.json")
    code, out = runner.run("maintenance_exit", vars_file, "-e", "state_file=%s" % state_file)
    assert code == 0, out
    assert snapshot(emu) == before
    assert runner.record("killed")["status"] == "finished"


def test_exit_twice_changes_nothing(emu, runner):
    vars_file = runner.variables("twice")
    assert runner.run("maintenance_enter", vars_file)[0] == 0
    code, out = runner.run("maintenance_exit", vars_file)
    assert code == 0, out
    count = writes(emu)
    code, out = runner.run("maintenance_exit", vars_file)
    assert code == 0, out
    assert "already closed" in out and writes(emu) == count
    assert "changed=0" in out


def test_check_mode_writes_nothing(emu, runner, tmp_path):
    before = snapshot(emu)
    code, out = runner.run("maintenance_window", runner.variables("dry-run"), "--check")
    assert code == 0, out
    assert writes(emu) == 0 and snapshot(emu) == before
    assert not os.path.exists(runner.state_dir)
    assert "check mode: nothing was written" in out
    assert runner.run("status", runner.variables("status"))[0] == 0
    assert writes(emu) == 0


def test_enter_refuses_to_overwrite_an_unfinished_record(emu, runner):
    vars_file = runner.variables("busy")
    assert runner.run("maintenance_enter", vars_file)[0] == 0
    count = writes(emu)
    code, out = runner.run("maintenance_enter", vars_file)
    assert code != 0 and "unfinished maintenance record" in out
    assert writes(emu) == count
    assert runner.run("maintenance_exit", vars_file)[0] == 0


def test_a_roma_target_must_select_explicitly(emu, runner):
    vars_file = runner.variables("vague", maintenance_window_roma=[{"instance_id": "inst-it", "all_tasks": False}])
    code, out = runner.run("maintenance_enter", vars_file)
    assert code != 0 and "selects nothing" in out
    assert writes(emu) == 0


def test_bad_selections_fail_before_any_write_whatever_the_order(emu, runner):
    vars_file = runner.variables("unknown-job", maintenance_window_order=["roma", "vias", "drs"],
                                 maintenance_window_drs={"job_names": ["orders-replica", "no-such-job"]})
    code, out = runner.run("maintenance_enter", vars_file)
    assert code != 0 and "unknown job names: no-such-job" in out
    assert writes(emu) == 0


def test_exit_failure_keeps_the_record_for_a_rerun(emu, runner):
    vars_file = runner.variables("stuck", maintenance_window_wait_timeout=2)
    assert runner.run("maintenance_enter", vars_file)[0] == 0
    emu.admin("PUT", "faults", {"faults": [{"type": "stuck", "ids": ["it-rt-run-1"]}]})
    code, out = runner.run("maintenance_exit", vars_file)
    assert code != 0 and "Could not bring back: orders-sync" in out
    assert runner.record("stuck")["status"] == "exit_failed"
    emu.admin("PUT", "faults", {"faults": []})
    code, out = runner.run("maintenance_exit", vars_file)
    assert code == 0, out
    assert runner.record("stuck")["status"] == "finished"
    assert snapshot(emu)["roma"]["it-rt-run-1"] == 1
