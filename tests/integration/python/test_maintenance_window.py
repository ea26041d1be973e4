"""The maintenance_window role and the collection playbooks, end to end against the emulator."""
import json
import os

from conftest import snapshot

STOPPED_BEFORE = {"roma": ["it-rt-stop-1", "it-tm-plan"], "drs": ["0a000000-0000-4000-8000-000000000004"]}
MOVING = ["0c000000000000000000000000000041", "0c000000000000000000000000000042"]
MIXED_RUNNING = "0c000000000000000000000000000051"
MIXED_STOPPED = ["0c000000000000000000000000000052", "0c000000000000000000000000000053"]


ONLY_GATE = {"maintenance_window_roma": [], "maintenance_window_drs": {},
             "maintenance_window_vias": {"batch_task_names": ["gate-cams"]}}


def writes(emu):
    return emu.admin("GET", "stats")["writes"]


def vias_item(record, name):
    return next(i for i in record["services"]["vias"]["items"] if i["name"] == name)


def test_full_window_restores_every_object(emu, runner, tmp_path):
    maintenance = tmp_path / "maintenance.yml"
    maintenance.write_text("- name: Maintenance\n  ansible.builtin.debug:\n    msg: inside the window\n")
    before = snapshot(emu)
    code, out = runner.run("maintenance_window", runner.variables("full", maintenance_window_tasks=str(maintenance)))
    assert code == 0, out
    assert "inside the window" in out
    assert snapshot(emu) == before
    record = runner.record("full")
    assert record["status"] == "finished" and record["version"] == 2
    acted = dict((s, sorted(i["id"] for i in record["services"][s]["items"] if i["plan"] == "act"))
                 for s in ("roma", "drs", "vias"))
    assert len(acted["roma"]) == 2 + 95
    assert acted["drs"] == ["0a000000-0000-4000-8000-000000000001", "0a000000-0000-4000-8000-000000000002"]
    for service, ids in acted.items():
        items = dict((i["id"], i) for i in record["services"][service]["items"])
        assert all(items[i]["exit"]["result"] in ("changed", "unchanged") for i in ids), service
    for name in ("full-enter.json", "full-enter.md", "full-exit.json", "full-exit.md", "full.html"):
        assert os.path.exists(os.path.join(runner.host_dir(), "reports", name)), name
    report = runner.report("full", "%s-exit.md")
    assert "## ROMA FDI tasks" in report and "orders-sync" in report and "brought back 105" in report
    assert not os.path.exists(runner.state_file("full") + ".lock")


def test_reports_land_beside_a_given_state_file(emu, runner, tmp_path):
    state_file = tmp_path / "elsewhere" / "CHG-7.json"
    vars_file = runner.variables("CHG-7", maintenance_window_state_file=str(state_file), **ONLY_GATE)
    assert runner.run("maintenance_enter", vars_file)[0] == 0
    code, out = runner.run("maintenance_exit", runner.variables("CHG-7", maintenance_window_id="", **ONLY_GATE),
                           "-e", "state_file=%s" % state_file)
    assert code == 0, out
    assert sorted(os.listdir(str(tmp_path / "elsewhere" / "reports"))) == [
        "CHG-7-enter.json", "CHG-7-enter.md", "CHG-7-exit.json", "CHG-7-exit.md", "CHG-7.html"]
    assert not os.path.exists(runner.state_dir)


def test_moving_batch_is_quiesced_and_restored(emu, runner):
    """RUNNING, RUNNING, STOPPING derives 'stopping' for the batch: its two running children still stop."""
    before = snapshot(emu)
    vars_file = runner.variables("moving", maintenance_window_roma=[], maintenance_window_drs={},
                                 maintenance_window_vias={"batch_task_names": ["moving-cams"]})
    code, out = runner.run("maintenance_enter", vars_file)
    assert code == 0, out
    during = snapshot(emu)["vias"]
    assert [during[c] for c in MOVING] == ["STOPPED", "STOPPED"]
    code, out = runner.run("maintenance_exit", vars_file)
    assert code == 0, out
    assert snapshot(emu) == before
    children = dict((c["name"], c["plan"]) for c in vias_item(runner.record("moving"), "moving-cams")["children"])
    assert children == {"moving-1": "act", "moving-2": "act", "moving-3": "quiet"}


def test_mixed_batch_ends_with_exactly_the_children_that_ran(emu, runner):
    vars_file = runner.variables("mixed", maintenance_window_roma=[], maintenance_window_drs={},
                                 maintenance_window_vias={"batch_task_names": ["mixed-cams"]})
    code, out = runner.run("maintenance_window", vars_file)
    assert code == 0, out
    after = snapshot(emu)["vias"]
    assert after[MIXED_RUNNING] == "RUNNING"
    assert [after[c] for c in MIXED_STOPPED] == ["STOPPED", "STOPPED"]
    # Started with the per-task API: one call for the one child that ran before.
    assert emu.admin("GET", "stats")["by_operation"]["vias.task_action"] == {"200": 1}


def test_items_stopped_before_the_window_stay_stopped(emu, runner):
    code, out = runner.run("maintenance_window", runner.variables("stopped-before"))
    assert code == 0, out
    record = runner.record("stopped-before")
    plans = dict((i["id"], i["plan"]) for s in ("roma", "drs") for i in record["services"][s]["items"])
    assert all(plans[i] == "quiet" for i in STOPPED_BEFORE["roma"] + STOPPED_BEFORE["drs"])
    after = snapshot(emu)
    assert all(after["roma"][i] == 0 for i in STOPPED_BEFORE["roma"])
    assert after["drs"][STOPPED_BEFORE["drs"][0]] == "CONFIGURATION"


def test_failure_inside_the_window_still_restores(emu, runner, tmp_path):
    failing = tmp_path / "failing.yml"
    failing.write_text("- name: Break\n  ansible.builtin.fail:\n    msg: the upgrade broke\n")
    before = snapshot(emu)
    code, out = runner.run("maintenance_window", runner.variables("broken", maintenance_window_tasks=str(failing)))
    assert code != 0 and "the upgrade broke" in out
    assert snapshot(emu) == before
    assert runner.record("broken")["status"] == "finished"


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


def test_check_mode_writes_nothing(emu, runner):
    before = snapshot(emu)
    code, out = runner.run("maintenance_window", runner.variables("dry-run"), "--check")
    assert code == 0, out
    assert writes(emu) == 0 and snapshot(emu) == before
    assert not os.path.exists(runner.state_dir)
    assert "/reports/" not in out and "check mode: nothing was written" not in out.split("Show the outcome")[0]
    assert "exit would bring back the 105 objects" in out
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
    assert code != 0 and "Could not bring back: task orders-sync" in out
    record = runner.record("stuck")
    assert record["status"] == "exit_failed"
    # Every other service was still brought back.
    assert all(i["exit"]["result"] in ("changed", "unchanged") for i in record["services"]["drs"]["items"]
               if i["plan"] == "act")
    assert "orders-sync" in runner.report("stuck", "%s.html")
    emu.admin("PUT", "faults", {"faults": []})
    code, out = runner.run("maintenance_exit", vars_file)
    assert code == 0, out
    assert runner.record("stuck")["status"] == "finished"
    assert snapshot(emu)["roma"]["it-rt-run-1"] == 1


def test_frozen_child_fails_the_window_by_default_and_is_skipped_on_request(emu, runner):
    target = {"batch_task_names": ["lobby-cams", "gate-cams"]}
    before = snapshot(emu)
    vars_file = runner.variables("frozen", maintenance_window_vias=target)
    code, out = runner.run("maintenance_enter", vars_file)
    assert code != 0 and "cannot be quiesced" in out and "lobby-2" in out
    assert writes(emu) == 0
    assert runner.record("frozen")["status"] == "aborted"
    vars_file = runner.variables("frozen", maintenance_window_vias=target, maintenance_window_unquiescable="skip")
    code, out = runner.run("maintenance_window", vars_file)
    assert code == 0, out
    assert snapshot(emu) == before
    lobby = vias_item(runner.record("frozen"), "lobby-cams")
    assert dict((c["name"], c["plan"]) for c in lobby["children"]) == {"lobby-1": "act", "lobby-2": "skipped"}
    report = runner.report("frozen", "%s-exit.md")
    assert "lobby-cams / lobby-2" in report and "skipped" in report and "FROZEN" in report


def test_a_drs_job_that_cannot_be_paused_is_named(emu, runner):
    emu.admin("PATCH", "items/0a000000-0000-4000-8000-000000000004", {"status": "CHILD_TRANSFER_STARTED"})
    vars_file = runner.variables("child-job", maintenance_window_roma=[], maintenance_window_vias={})
    code, out = runner.run("maintenance_enter", vars_file)
    assert code != 0 and "new-replica" in out and "CHILD_TRANSFER_STARTED" in out
    assert writes(emu) == 0


def test_check_diff_preview_is_one_line_per_object(emu, runner):
    code, out = runner.run("maintenance_enter", runner.variables("preview"), "--check", "--diff")
    assert code == 0, out
    preview = [line for line in out.splitlines() if line.startswith(("roma ", "drs ", "vias "))]
    # 97 ROMA tasks, 2 DRS jobs and 6 VIAS children would change: one line each, nothing else per object.
    assert len(preview) == 97 + 2 + 6
    assert len(out.splitlines()) < len(preview) + 60
    where = out.find("maintenance_window_record")
    assert where < 0, out[max(0, where - 2000):where + 500]  # check mode publishes no record
    assert writes(emu) == 0
    assert not os.path.exists(runner.state_dir)


def test_two_enters_at_once_one_is_refused_and_nothing_is_lost(emu, runner):
    before = snapshot(emu)
    vars_file = runner.variables("race")
    first, second = runner.start("maintenance_enter", vars_file), runner.start("maintenance_enter", vars_file)
    outputs = [p.communicate(timeout=300)[0] for p in (first, second)]
    codes = [first.returncode, second.returncode]
    assert sorted(c == 0 for c in codes) == [False, True], outputs
    refused = outputs[codes.index(next(c for c in codes if c != 0))]
    assert "is locked by" in refused or "unfinished maintenance record" in refused
    code, out = runner.run("maintenance_exit", vars_file)
    assert code == 0, out
    assert snapshot(emu) == before


def test_exit_refuses_another_windows_record(emu, runner, tmp_path):
    before = snapshot(emu)
    window_a = runner.variables("window-a")
    assert runner.run("maintenance_enter", window_a)[0] == 0
    count = writes(emu)
    handover = tmp_path / "handover.json"
    handover.write_text(json.dumps({"maintenance_window_record": runner.record("window-a")}))
    code, out = runner.run("maintenance_exit", runner.variables("window-b"), "-e", "@%s" % handover)
    assert code != 0 and "belongs to window window-a, not to window window-b" in out
    code, out = runner.run("maintenance_exit", runner.variables("window-b"),
                           "-e", "state_file=%s" % runner.state_file("window-a"))
    assert code != 0 and "holds the record of window window-a, not window-b" in out
    assert writes(emu) == count and not os.path.exists(runner.state_file("window-b"))
    # Without an explicit id the handed-over record names its window.
    code, out = runner.run("maintenance_exit", runner.variables("window-a", maintenance_window_id=""),
                           "-e", "@%s" % handover)
    assert code == 0, out
    assert snapshot(emu) == before
