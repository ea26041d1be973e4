"""Reading records back: versions, damage isolated per service, clear refusals."""
import pytest

from ansible_collections.hwcloud.taskops.plugins.plugin_utils.window_record import WindowError, restore_steps
from ansible_collections.hwcloud.taskops.plugins.plugin_utils.window_schema import load_record

V2 = {"format": "hwcloud.taskops.maintenance_record", "version": 2, "window_id": "w", "status": "entered",
      "order": ["drs", "roma"], "services": {
          "roma": {"items": [{"id": "t1", "plan": "act", "instance_id": "i1"}]},
          "drs": {"items": [{"id": "j1", "plan": "act"}, {"id": "j2", "plan": "quiet"}]}}}


@pytest.mark.parametrize("change,message", [
    (lambda r: r.update(version=99), "version 99"),
    (lambda r: r.update(format="other"), "version 2"),
    (lambda r: r.pop("window_id"), "has no window_id"),
    (lambda r: r.update(status="sleeping"), "unknown status"),
    (lambda r: r.update(services=[]), "no services section"),
])
def test_unusable_records_are_refused_with_a_clear_message(change, message):
    record = dict(V2, services=dict(V2["services"]))
    change(record)
    with pytest.raises(WindowError, match=message):
        load_record(record, "f.json")


@pytest.mark.parametrize("section,problem", [
    ({"items": None}, "no items list"),
    ({"items": [{"plan": "act"}]}, "has no id"),
    ({"items": [{"id": "x", "plan": "maybe"}]}, "no valid plan"),
    ({"items": [{"id": "x", "plan": "act"}]}, "no instance_id"),
    ({"items": [{"id": "x", "plan": "act", "instance_id": "i", "children": [{"plan": "act"}]}]}, "damaged children"),
])
def test_a_damaged_section_is_set_aside_and_the_others_restored(section, problem):
    record = load_record(dict(V2, services={"roma": section, "drs": V2["services"]["drs"]}), "f.json")
    assert problem in record["damaged"]["roma"]["problem"] and record["damaged"]["roma"]["section"] == section
    assert restore_steps(record) == {"drs": [{"job_ids": ["j1"], "state": "running"}]}


def test_unknown_service_and_missing_order_are_handled():
    record = load_record(dict(V2, order=None, services=dict(V2["services"], mystery={"items": []})), "f.json")
    assert "unknown service" in record["damaged"]["mystery"]["problem"]
    assert record["order"] == ["drs", "roma"]


def test_version_1_is_upgraded_with_whole_batches_for_vias():
    old = {"window_id": "w", "status": "entering", "order": ["drs", "roma", "vias"], "services": {
        "roma": {"planned": [{"id": "t1", "name": "a", "status": "running"}], "instances": {"i1": ["t1"]}},
        "drs": {"planned": [{"id": "j1", "name": "j", "status": "INCRE_TRANSFER_STARTED"}], "pause_mode": "all"},
        "vias": {"planned": [{"id": "b1", "name": "b", "state": "running", "status_counts": {"running": 2}}]}}}
    record = load_record(old, "old.json")
    assert record["upgraded_from"] == 1 and record["status"] == "entering"
    assert restore_steps(record) == {
        "roma": [{"instance_id": "i1", "task_ids": ["t1"], "state": "started"}],
        "drs": [{"job_ids": ["j1"], "state": "running"}],
        "vias": [{"batch_task_ids": ["b1"], "state": "started"}]}
