"""VIAS child-by-child decisions, table-driven, and plans handed back to the module."""
import pytest

from ansible_collections.hwcloud.taskops.plugins.module_utils.adapter import PlanError
from ansible_collections.hwcloud.taskops.plugins.module_utils.vias import (
    RUNNING_LIKE, STOPPED_LIKE, UNCONTROLLED, UNMOVABLE, ViasBatches, plan_child,
)

ALL_STATES = sorted(set(RUNNING_LIKE + STOPPED_LIKE + UNMOVABLE + ("starting", "stopping")))


def expected(state, command):
    if command == "stop":
        if state in RUNNING_LIKE + ("starting",):
            return "stop", None
        return "none", "CHILD_NOT_CONTROLLABLE" if state in UNCONTROLLED else None
    if state in STOPPED_LIKE + ("stopping",):
        return "start", None
    return "none", "CHILD_NOT_CONTROLLABLE" if state in UNMOVABLE else None


@pytest.mark.parametrize("state", ALL_STATES)
@pytest.mark.parametrize("command", ["start", "stop"])
def test_every_child_state_has_a_decision(state, command):
    action, code, dummy = plan_child({"id": "c", "name": "c", "state_before": state}, command, None)
    assert (action, code) == expected(state, command)


def test_children_not_wanted_are_left_alone_whatever_their_state():
    for state in ALL_STATES:
        assert plan_child({"id": "c", "name": "c", "state_before": state}, "start", {"other"}) == ("none", None, None)


def adapter(**params):
    return ViasBatches(None, dict(dict(state="started", children=True), **params))


def entry(children, counts):
    return {"id": "b1", "name": "b", "status_before": "mixed", "status_counts": counts,
            "children": [{"id": i, "name": i, "state_before": s} for i, s in children]}


@pytest.mark.parametrize("wanted,counts,fits", [
    (None, {"stopped": 2}, True),                    # the batch call moves exactly the children wanted
    (["c1"], {"stopped": 2}, False),                 # it would also start c2
    (["c1", "c2"], {"stopped": 2}, True),
    (None, {"stopped": 2, "frozen": 1}, False),      # it would meet a child that cannot move
])
def test_the_batch_call_is_used_only_when_it_moves_exactly_what_is_wanted(wanted, counts, fits):
    vias = adapter(child_task_ids=wanted)
    item = vias.items_from_plan([entry([("c1", "stopped"), ("c2", "stopped")], counts)])[0]
    vias.plan(item)
    assert vias._batch_call_fits(item, "start") is fits  # pylint: disable=protected-access


@pytest.mark.parametrize("bad,message", [
    ({"status_counts": {"running": -1}}, "status_counts"),
    ({"children": None}, "children: true"),
    ({"children": [{"id": "c"}]}, "id, name and state_before"),
    ({"id": ""}, "has no id"),
])
def test_a_plan_that_this_module_did_not_make_is_refused(bad, message):
    data = dict(entry([("c1", "stopped")], {"stopped": 1}), **bad)
    with pytest.raises(PlanError, match=message):
        adapter().items_from_plan([data])


@pytest.mark.parametrize("results,now,expected", [
    ({"c1": "pending", "c2": "pending"}, {"c1": "stopped", "c2": "stopped"}, True),   # the batch call's answer was lost
    ({"c1": "unknown", "c2": "sent"}, {"c1": "stopped", "c2": "running"}, True),      # one child's answer was lost
    ({"c1": "unknown", "c2": "sent"}, {"c1": "running", "c2": "running"}, False),     # it took effect
    ({"c1": "sent", "c2": "sent"}, {"c1": "stopped", "c2": "stopped"}, False),        # nothing was lost
])
def test_only_children_whose_answer_was_lost_decide_a_resend(results, now, expected):
    vias = adapter()
    before = vias.items_from_plan([entry([("c1", "stopped"), ("c2", "stopped")], {"stopped": 2})])[0]
    vias.plan(before)
    for child in before.report_extra["children"]:
        child["result"] = results[child["id"]]
    current = vias.items_from_plan([entry(sorted(now.items()), {"stopped": 2})])[0]
    assert vias.unmoved(before, current, "start") is expected
