"""DRS decisions: every documented status x each requested state, the service's action lists, parents."""
import pytest

from ansible_collections.hwcloud.taskops.plugins.module_utils.adapter import Item
from ansible_collections.hwcloud.taskops.plugins.module_utils.drs import RULES, DrsJobs
from ansible_collections.hwcloud.taskops.plugins.module_utils.errors import HwCloudError

# The 29 statuses of the v3 enum (reference section 2.6); a status missing from RULES fails here.
DOCUMENTED = """CREATING CREATE_FAILED CONFIGURATION STARTJOBING WAITING_FOR_START START_JOB_FAILED PAUSING
FULL_TRANSFER_STARTED FULL_TRANSFER_FAILED FULL_TRANSFER_COMPLETE INCRE_TRANSFER_STARTED INCRE_TRANSFER_FAILED
RELEASE_RESOURCE_STARTED RELEASE_RESOURCE_FAILED RELEASE_RESOURCE_COMPLETE REBUILD_NODE_STARTED REBUILD_NODE_FAILED
CHANGE_JOB_STARTED CHANGE_JOB_FAILED DELETED CHILD_TRANSFER_STARTING CHILD_TRANSFER_STARTED CHILD_TRANSFER_COMPLETE
CHILD_TRANSFER_FAILED RELEASE_CHILD_TRANSFER_STARTED RELEASE_CHILD_TRANSFER_COMPLETE NODE_UPGRADE_START
NODE_UPGRADE_COMPLETE NODE_UPGRADE_FAILED""".split()

EXPECTED = {
    # status: (running: action or error code, paused: action or error code)
    "CREATING": ("JOB_BUSY", "JOB_BUSY"), "CREATE_FAILED": ("JOB_NOT_USABLE", "none"),
    "CONFIGURATION": ("start", "none"), "STARTJOBING": ("none", "JOB_STARTING"),
    "WAITING_FOR_START": ("none", "JOB_STARTING"), "START_JOB_FAILED": ("JOB_FAILED", "none"),
    "PAUSING": ("resume", "none"), "FULL_TRANSFER_STARTED": ("none", "pause"),
    "FULL_TRANSFER_FAILED": ("JOB_FAILED", "none"), "FULL_TRANSFER_COMPLETE": ("none", "pause"),
    "INCRE_TRANSFER_STARTED": ("none", "pause"), "INCRE_TRANSFER_FAILED": ("JOB_FAILED", "none"),
    "RELEASE_RESOURCE_STARTED": ("JOB_NOT_USABLE", "none"), "RELEASE_RESOURCE_FAILED": ("JOB_NOT_USABLE", "none"),
    "RELEASE_RESOURCE_COMPLETE": ("JOB_NOT_USABLE", "none"), "REBUILD_NODE_STARTED": ("JOB_BUSY", "JOB_BUSY"),
    "REBUILD_NODE_FAILED": ("JOB_BUSY", "JOB_BUSY"), "CHANGE_JOB_STARTED": ("JOB_BUSY", "JOB_BUSY"),
    "CHANGE_JOB_FAILED": ("JOB_BUSY", "JOB_BUSY"), "DELETED": ("JOB_NOT_USABLE", "none"),
    "CHILD_TRANSFER_STARTING": ("JOB_BUSY", "JOB_BUSY"), "CHILD_TRANSFER_STARTED": ("none", "JOB_STATUS"),
    "CHILD_TRANSFER_COMPLETE": ("none", "JOB_STATUS"), "CHILD_TRANSFER_FAILED": ("JOB_BUSY", "JOB_BUSY"),
    "RELEASE_CHILD_TRANSFER_STARTED": ("JOB_NOT_USABLE", "none"),
    "RELEASE_CHILD_TRANSFER_COMPLETE": ("JOB_NOT_USABLE", "none"), "NODE_UPGRADE_START": ("JOB_BUSY", "JOB_BUSY"),
    "NODE_UPGRADE_COMPLETE": ("none", "JOB_STATUS"), "NODE_UPGRADE_FAILED": ("JOB_BUSY", "JOB_BUSY"),
}


def decide(status, state, kind="FULL_INCR_TRANS", raw=None, **params):
    adapter = DrsJobs(None, dict(dict(state=state, pause_mode="target", retry_failed=False), **params))
    decision = adapter.plan(Item("j", "job", status, kind=kind, raw=raw or {}))
    return decision.error_code or decision.action


def test_every_documented_status_has_a_rule():
    assert sorted(RULES) == sorted(DOCUMENTED) == sorted(EXPECTED)


@pytest.mark.parametrize("status", DOCUMENTED)
@pytest.mark.parametrize("state", ["running", "paused"])
def test_each_status_and_state(status, state):
    assert decide(status, state) == EXPECTED[status][0 if state == "running" else 1]


@pytest.mark.parametrize("status", ["START_JOB_FAILED", "FULL_TRANSFER_FAILED", "INCRE_TRANSFER_FAILED"])
def test_failed_jobs_are_retried_on_request(status):
    assert decide(status, "running", retry_failed=True) == "retry"


def test_a_full_only_job_that_completed_has_nothing_to_pause():
    assert decide("FULL_TRANSFER_COMPLETE", "paused", kind="FULL_TRANS") == "none"


@pytest.mark.parametrize("status,state,offered,expected", [
    ("INCRE_TRANSFER_STARTED", "paused", ["PAUSE"], "pause"),
    ("INCRE_TRANSFER_STARTED", "paused", [], "JOB_ACTION"),
    ("CONFIGURATION", "running", ["START"], "start"),
    ("CONFIGURATION", "running", ["DELETE"], "JOB_ACTION"),
    ("PAUSING", "running", ["RETRY"], "resume"),
    ("PAUSING", "paused", [], "none"),
])
def test_the_services_action_list_has_the_last_word(status, state, offered, expected):
    raw = {"job_action": {"available_actions": offered, "current_action": None}}
    assert decide(status, state, raw=raw) == expected


def test_a_busy_job_names_what_it_is_busy_with():
    raw = {"job_action": {"available_actions": [], "current_action": "PAUSE"}}
    adapter = DrsJobs(None, dict(state="paused", pause_mode="target"))
    decision = adapter.plan(Item("j", "job", "INCRE_TRANSFER_STARTED", raw=raw))
    assert decision.error_code == "JOB_BUSY" and "PAUSE" in decision.message


@pytest.mark.parametrize("offered,expected", [(["PAUSE", "RETRY"], "pause"), (["RETRY"], "PAUSE_MODE_UNCONFIRMED"),
                                              (None, "PAUSE_MODE_UNCONFIRMED")])
def test_pause_mode_all_on_a_paused_job(offered, expected):
    raw = {"job_action": {"available_actions": offered}} if offered is not None else {}
    assert decide("PAUSING", "paused", raw=raw, pause_mode="all") == expected


def test_a_dual_active_parent_is_refused_naming_its_children():
    adapter = DrsJobs(None, dict(state="paused", pause_mode="target"))
    decision = adapter.plan(Item("p", "parent", "INCRE_TRANSFER_STARTED",
                                 report_extra={"children": ["forward", "backward"]}))
    assert decision.error_code == "DUAL_ACTIVE_PARENT" and "forward, backward" in decision.message


@pytest.mark.parametrize("code,splits", [
    ("DRS.M00200", True),  # parameter error: too many jobs for one call (the limit is undocumented)
    ("DRS.10000009", True), ("DRS.M00202", True), ("DRS.10000010", True),  # one bad or vanished id
    ("DRS.M00103", False), ("DRS.M01504", False), ("APIGW.0301", False),
])
def test_whole_call_rejections_that_splitting_can_resolve(code, splits):
    error = HwCloudError("refused", status=400, code=code, service="drs", operation="batch pause")
    assert DrsJobs(None, {"state": "paused"}).split_helps(error) is splits
