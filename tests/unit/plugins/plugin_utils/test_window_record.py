"""The record's rules, table-driven: plans from module answers, policy, restore set, steps, damage."""
import copy

import pytest

from ansible_collections.hwcloud.taskops.plugins.plugin_utils import window_record as wr
from ansible_collections.hwcloud.taskops.plugins.plugin_utils import window_report
from ansible_collections.hwcloud.taskops.plugins.plugin_utils.window_schema import load_record

NOW = "2026-11-23T02:00:00Z"


def task(task_id, status, action, result, instance="inst-1", **extra):
    return dict(id=task_id, name="n-" + task_id, status_before=status, action=action, result=result,
                instance_id=instance, type="realtime", **extra)


def child(child_id, state, action, result="would_change", **extra):
    return dict(id=child_id, name="c-" + child_id, state_before=state, action=action, result=result, **extra)


def looped(*results):
    return {"results": list(results)}


def batch(batch_id, children, result="would_change", **extra):
    counts = {}
    for c in children:
        counts[c["state_before"]] = counts.get(c["state_before"], 0) + 1
    return dict(id=batch_id, name="b-" + batch_id, status_before="mixed", action="stop", result=result,
                status_counts=counts, children=children, **extra)


PLANS = {
    "roma": looped({"tasks": [task("t1", "running", "stop", "would_change"), task("t2", "stopped", "none", "unchanged")]},
                   {"tasks": [task("t3", "running", "stop", "would_change", instance="inst-2")]}),
    "drs": looped({"jobs": [dict(id="j1", name="j1", status_before="INCRE_TRANSFER_STARTED", action="pause",
                                 result="would_change"),
                            dict(id="j2", name="j2", status_before="CHILD_TRANSFER_STARTED", action="none",
                                 result="would_fail", error_code="JOB_STATUS", error_message="cannot be paused")]}),
    "vias": looped({"batch_tasks": [
        batch("b1", [child("c1", "running", "stop"), child("c2", "stopped", "none", "unchanged"),
                     child("c3", "frozen", "none", "would_fail", error_code="CHILD_NOT_CONTROLLABLE",
                           error_message="c3 is FROZEN")], result="would_fail"),
        batch("b2", [child("c4", "stopped", "none", "unchanged")], result="unchanged")]}),
}


def committed(policy):
    record = wr.new_record("w1", "localhost", policy, ["drs", "roma", "vias"], NOW)
    blocked = wr.commit_plan(record, copy.deepcopy(PLANS), {"drs": {"pause_mode": "all"}}, NOW)
    return record, blocked


def plans_of(record):
    found = {}
    for service, section in record["services"].items():
        for item in section["items"]:
            found[item["id"]] = item["plan"]
            for c in item.get("children", []):
                found[c["id"]] = c["plan"]
    return found


@pytest.mark.parametrize("policy,expected", [
    ("fail", {"t1": "act", "t2": "quiet", "t3": "act", "j1": "act", "j2": "blocked", "b1": "blocked", "c1": "act",
              "c2": "quiet", "c3": "blocked", "b2": "quiet", "c4": "quiet"}),
    ("skip", {"t1": "act", "t2": "quiet", "t3": "act", "j1": "act", "j2": "skipped", "b1": "act", "c1": "act",
              "c2": "quiet", "c3": "skipped", "b2": "quiet", "c4": "quiet"}),
])
def test_every_object_gets_a_plan_under_each_policy(policy, expected):
    record, blocked = committed(policy)
    assert plans_of(record) == expected
    assert (len(blocked) == 2) == (policy == "fail")


def test_act_steps_carry_the_plan_and_leave_skipped_children_out():
    record, dummy = committed("skip")
    steps = wr.act_steps(record)
    assert [s["instance_id"] for s in steps["roma"]] == ["inst-1", "inst-2"]
    assert [e["id"] for e in steps["roma"][0]["plan"]] == ["t1"]
    assert steps["drs"] == [{"plan": [{"id": "j1", "name": "j1", "status_before": "INCRE_TRANSFER_STARTED"}],
                             "state": "paused", "pause_mode": "all"}]
    vias = steps["vias"][0]
    assert vias["children"] is True and [c["id"] for c in vias["plan"][0]["children"]] == ["c1", "c2"]
    assert vias["plan"][0]["status_counts"] == {"running": 1, "stopped": 1, "frozen": 1}


def test_restore_brings_back_exactly_what_was_planned_whatever_enter_did():
    record, dummy = committed("skip")
    steps = wr.restore_steps(record)
    assert steps["roma"] == [{"instance_id": "inst-1", "task_ids": ["t1"], "state": "started"},
                             {"instance_id": "inst-2", "task_ids": ["t3"], "state": "started"}]
    assert steps["drs"] == [{"job_ids": ["j1"], "state": "running"}]
    assert steps["vias"] == [{"batch_task_ids": ["b1"], "child_task_ids": ["c1"], "state": "started"}]


def test_planning_failure_names_the_service_and_writes_nothing():
    record = wr.new_record("w1", "localhost", "fail", ["roma"], NOW)
    with pytest.raises(wr.WindowError, match="ROMA FDI tasks: unknown task names: x"):
        wr.commit_plan(record, {"roma": looped({"msg": "unknown task names: x", "tasks": []})}, {}, NOW)


@pytest.mark.parametrize("target", [{"instance_id": "i"}, {"instance_id": "i", "all_tasks": False}])
def test_a_roma_target_must_select(target):
    with pytest.raises(wr.WindowError, match="selects nothing"):
        wr.planning_steps(["roma"], [target], {}, {})


def test_steps_record_results_and_exit_lists_what_is_still_stopped():
    record, dummy = committed("skip")
    answer = looped({"tasks": [dict(task("t1", "running", "start", "changed"), settled_at=NOW)]},
                    {"tasks": [dict(task("t3", "running", "start", "failed"), error_code="WAIT_TIMEOUT")]})
    problems = wr.apply_step(record, "exit", "roma", answer, NOW)
    assert len(problems) == 1 and "WAIT_TIMEOUT" in problems[0]
    left = wr.still_stopped(record)
    assert "task n-t3 (t3)" in left and "job j1 (j1)" in left and "batch task b-b1 (b1)" in left
    assert not any("t1" in entry for entry in left)


def test_preview_has_one_line_per_object_that_changes_and_a_summary_per_service():
    record, dummy = committed("skip")
    lines = wr.preview_lines(record)
    changing = [line for line in lines if "->" in line]
    assert len(changing) == 6  # t1, t3, j1, j2 (skipped), c1, c3 (skipped)
    assert len(lines) == len(changing) + 3


def test_reports_show_every_object_and_escape_names():
    record, dummy = committed("skip")
    record["services"]["roma"]["items"][0]["name"] = "<script>alert(1)</script>"
    html = window_report.html(record, NOW, {"record": "/r.json"})
    for object_id in ("t1", "t2", "t3", "j1", "j2", "c1", "c2", "c3", "c4"):
        assert "<code>%s</code>" % object_id in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    markdown = window_report.markdown(record, "enter", NOW, {"record": "/r.json"})
    assert "b-b1 / c-c3" in markdown and "skipped" in markdown


def test_a_record_survives_a_round_trip_through_the_schema():
    record, dummy = committed("skip")
    loaded = load_record(copy.deepcopy(record), "test")
    assert loaded["services"] == record["services"] and loaded["damaged"] == {}
