"""ROMA decisions and plans, table-driven; check mode's dispatch-plan foresight with a fake client."""
import pytest

from ansible_collections.hwcloud.taskops.plugins.module_utils.adapter import Item, PlanError
from ansible_collections.hwcloud.taskops.plugins.module_utils.errors import HwCloudError
from ansible_collections.hwcloud.taskops.plugins.module_utils.roma import RomaTasks


class FakeClient:
    def __init__(self, missing=()):
        self.missing = set(missing)
        self.calls = []

    def call(self, service, method, path, operation, **kwargs):
        self.calls.append(path)
        task_id = path.split("/")[-2]
        if task_id in self.missing:
            raise HwCloudError("no plan", status=404, code="FDI.3083", service=service, operation=operation)
        return {}


def adapter(state, client=None, check_mode=False):
    roma = RomaTasks(client, {"instance_id": "inst-1", "state": state})
    roma.check_mode = check_mode
    return roma


@pytest.mark.parametrize("state,status,action", [
    ("stopped", "running", "stop"), ("stopped", "stopped", "none"),
    ("started", "stopped", "start"), ("started", "running", "none"),
])
def test_decisions(state, status, action):
    assert adapter(state).plan(Item("t", "t", status, kind="realtime")).action == action


@pytest.mark.parametrize("check_mode,kind,missing,expected", [
    (True, "timing", True, "FDI.3083"),     # foreseen in check mode
    (True, "timing", False, "start"),
    (True, "realtime", True, "start"),      # only timing tasks need a plan
    (False, "timing", True, "start"),       # a real run learns it from the batch call (and splits the chunk)
])
def test_check_mode_foresees_a_missing_dispatch_plan(check_mode, kind, missing, expected):
    client = FakeClient(missing=["t"] if missing else [])
    decision = adapter("started", client, check_mode).plan(Item("t", "nightly", "stopped", kind=kind))
    assert (decision.error_code or decision.action) == expected
    assert len(client.calls) == (1 if check_mode and kind == "timing" else 0)


@pytest.mark.parametrize("entry,message", [
    ({"id": "t", "name": "t", "status_before": "paused"}, "running or stopped"),
    ({"id": "t", "name": "t", "status_before": "running", "instance_id": "other"}, "belongs to instance other"),
    ({"id": "t", "name": "", "status_before": "running"}, "has no name"),
])
def test_plans_from_elsewhere_are_refused(entry, message):
    with pytest.raises(PlanError, match=message):
        adapter("stopped").items_from_plan([entry])


def test_a_plan_entry_becomes_the_item_it_described():
    entry = {"id": "t", "name": "n", "status_before": "running", "type": "timing", "instance_id": "inst-1"}
    item = adapter("stopped").items_from_plan([entry])[0]
    assert (item.id, item.name, item.status, item.kind, item.report_extra) == (
        "t", "n", "running", "timing", {"instance_id": "inst-1"})
