"""DRS v5 rows read as v3 rows (a paused job known by its actions), and the health gates' delay reading."""
import pytest

from ansible_collections.hwcloud.taskops.plugins.module_utils.drs_health import delay_seconds, wait_for_delays
from ansible_collections.hwcloud.taskops.plugins.module_utils.drs_v5 import as_v3_row


def row(status, available, current=None, **extra):
    return dict({"id": "j", "name": "n", "status": status, "job_type": "sync",
                 "job_action": {"available_actions": available, "current_action": current}}, **extra)


@pytest.mark.parametrize("status,available,current,expected", [
    ("INCRE_TRANSFER_STARTED", ["PAUSE"], None, "INCRE_TRANSFER_STARTED"),
    ("INCRE_TRANSFER_STARTED", ["RETRY"], None, "PAUSING"),  # v5 has no PAUSING: the actions tell
    ("FULL_TRANSFER_COMPLETE", ["retry"], None, "PAUSING"),
    ("INCRE_TRANSFER_STARTED", ["RETRY"], "PAUSE", "INCRE_TRANSFER_STARTED"),  # busy: not yet paused
    ("INCRE_TRANSFER_FAILED", ["RETRY", "RESET"], None, "INCRE_TRANSFER_FAILED"),
    ("PAUSING", ["RETRY"], None, "PAUSING"),
    ("CONFIGURATION", ["START"], None, "CONFIGURATION"),
])
def test_v5_rows_read_as_v3_rows(status, available, current, expected):
    converted = as_v3_row(row(status, available, current, children=[row(status, available, current)]))
    assert converted["status"] == expected and converted["db_use_type"] == "sync"
    assert converted["children"][0]["status"] == expected


@pytest.mark.parametrize("progress,expected", [
    ({"incre_trans_delay_millis": "1500", "incre_trans_delay": "1"}, 1.5),
    ({"incre_trans_delay": "7"}, 7.0),
    ({"incre_trans_delay_millis": "", "incre_trans_delay": ""}, None),
    ({}, None),
    ({"incre_trans_delay_millis": "soon"}, None),
])
def test_delay_from_a_progress_row(progress, expected):
    assert delay_seconds(progress) == expected


class Progress:
    """A batch-progress API whose delays follow a script, one step per call."""

    def __init__(self, script):
        self.script = script
        self.calls = 0

    def call(self, service, method, path, operation, body=None, schema=None):
        step = self.script[min(self.calls, len(self.script) - 1)]
        self.calls += 1
        return {"results": [{"job_id": i, "incre_trans_delay_millis": "" if step[i] is None else str(step[i])}
                            for i in body["jobs"]]}


def wait(client, timeout=30):
    now = [0.0]
    return wait_for_delays(client, ["a", "b"], 2, timeout, 5, lambda s: now.__setitem__(0, now[0] + s),
                           lambda: now[0])


def test_the_gate_waits_until_every_job_is_under_the_threshold():
    client = Progress([{"a": 9000, "b": 5000}, {"a": 3000, "b": 1000}, {"a": 1500, "b": 900}])
    assert wait(client) == {"a": 1.5, "b": 0.9} and client.calls == 3


def test_a_job_without_a_delay_to_measure_never_holds_the_gate():
    client = Progress([{"a": None, "b": 100}])
    assert wait(client) == {"a": None, "b": 0.1} and client.calls == 1


def test_the_gate_gives_up_at_its_timeout_with_the_last_delays():
    client = Progress([{"a": 600000, "b": 0}])
    delays = wait(client, timeout=10)
    assert delays == {"a": 600.0, "b": 0.0} and 5 <= client.calls <= 20
