"""The batch engine with a fake adapter: chunking, bisecting, unknown outcomes, waiting, check mode."""
import threading

import pytest

from ansible_collections.hwcloud.taskops.plugins.module_utils.adapter import Item, ServiceAdapter
from ansible_collections.hwcloud.taskops.plugins.module_utils.engine import (
    MAX_RESENDS, Decision, Engine, Outcome, PollPauses, summarize,
)
from ansible_collections.hwcloud.taskops.plugins.module_utils.errors import HwCloudError


class FakeAdapter(ServiceAdapter):
    service = "fake"
    label = "thing"
    result_key = "things"
    max_batch = 3

    def __init__(self, statuses, bad=(), reject_code=None, unknown_calls=0, stuck=(), lost_calls=0,
                 refuse_resend=False):
        super(FakeAdapter, self).__init__(None, {"batch_size": 3})
        self.statuses = dict(statuses)
        self.bad = set(bad)
        self.reject_code = reject_code
        self.unknown_calls = unknown_calls
        self.lost_calls = lost_calls
        self.refuse_resend = refuse_resend
        self.stuck = set(stuck)
        self.calls = []
        self.active = 0
        self.peak = 0
        self.lock = threading.Lock()

    def plan(self, item):
        if item.status == "broken":
            return Decision.impossible("BROKEN", "cannot")
        return Decision("stop" if item.status == "running" else "none")

    def execute(self, action, items):
        with self.lock:
            self.calls.append([i.id for i in items])
            self.active += 1
            self.peak = max(self.peak, self.active)
        try:
            if self.lost_calls:
                self.lost_calls -= 1
                raise HwCloudError("HTTP 502 from the gateway", status=502, outcome_unknown=True)  # never applied
            if self.refuse_resend and len(self.calls) > 1:
                return dict((i.id, Outcome(False, "BUSY", "the item is busy")) for i in items)
            if self.unknown_calls:
                self.unknown_calls -= 1
                for i in items:
                    if i.id not in self.stuck:
                        self.statuses[i.id] = "stopped"  # the write took effect, the answer was lost
                raise HwCloudError("connection reset", outcome_unknown=True)
            if self.reject_code and self.bad & set(i.id for i in items):
                raise HwCloudError("rejected", status=404, code=self.reject_code)
            outcomes = {}
            for i in items:
                if i.id in self.bad:
                    outcomes[i.id] = Outcome(False, "E1", "bad item", "req")
                else:
                    if i.id not in self.stuck:
                        self.statuses[i.id] = "stopped"
                    outcomes[i.id] = Outcome(True, request_id="req")
            return outcomes
        finally:
            with self.lock:
                self.active -= 1

    def refresh(self, items):
        return dict((k, Item(k, k, v)) for k, v in self.statuses.items())

    def settled(self, before, current, action):
        return current.status == "stopped"

    def unmoved(self, before, current, action):
        return current.status == before.status

    def split_helps(self, error):
        return error.code == "SPLIT"


def items_for(statuses):
    return [Item(k, "name-" + k, v) for k, v in statuses.items()]


def run(adapter, check_mode=False, wait=True, wait_timeout=10, max_concurrency=2):
    clock = [0.0]
    engine = Engine(adapter, check_mode=check_mode, max_concurrency=max_concurrency, wait=wait,
                    wait_timeout=wait_timeout, poll_interval=1, sleep=lambda s: clock.__setitem__(0, clock[0] + s),
                    clock=lambda: clock[0])
    reports = engine.plan(items_for(adapter.statuses))
    engine.act(reports)
    engine.settle(reports)
    return dict((r.item.id, r) for r in reports)


def test_chunks_of_the_batch_limit_and_only_what_differs():
    statuses = dict(("t%d" % n, "running") for n in range(7))
    statuses["idle"] = "stopped"
    adapter = FakeAdapter(statuses)
    reports = run(adapter)
    assert sorted(len(c) for c in adapter.calls) == [1, 3, 3]
    assert reports["idle"].result == "unchanged" and reports["idle"].status_after == "stopped"
    assert all(reports["t%d" % n].result == "changed" and reports["t%d" % n].status_after == "stopped"
               for n in range(7))


def test_concurrency_is_bounded():
    adapter = FakeAdapter(dict(("t%d" % n, "running") for n in range(30)))
    run(adapter, max_concurrency=2)
    assert adapter.peak <= 2 and len(adapter.calls) == 10


def test_check_mode_sends_nothing_and_reports_the_plan():
    adapter = FakeAdapter({"a": "running", "b": "stopped", "c": "broken"})
    reports = run(adapter, check_mode=True)
    assert adapter.calls == []
    assert [reports[k].result for k in "abc"] == ["would_change", "unchanged", "would_fail"]
    assert reports["c"].error_code == "BROKEN"


def test_per_item_failures_are_kept():
    adapter = FakeAdapter({"a": "running", "b": "running"}, bad={"b"})
    reports = run(adapter)
    assert reports["a"].result == "changed"
    assert (reports["b"].result, reports["b"].error_code, reports["b"].request_id) == ("failed", "E1", "req")


def test_whole_call_rejection_is_bisected_to_the_offender():
    statuses = dict(("t%d" % n, "running") for n in range(3))
    adapter = FakeAdapter(statuses, bad={"t1"}, reject_code="SPLIT")
    reports = run(adapter)
    assert reports["t1"].result == "failed" and reports["t1"].error_code == "SPLIT"
    assert reports["t0"].result == "changed" and reports["t2"].result == "changed"
    assert ["t1"] in adapter.calls


def test_rejection_that_splitting_cannot_help_fails_the_chunk():
    adapter = FakeAdapter({"a": "running", "b": "running"}, bad={"b"}, reject_code="OTHER")
    reports = run(adapter)
    assert len(adapter.calls) == 1
    assert reports["a"].error_code == "OTHER" and reports["b"].error_code == "OTHER"


def test_unknown_outcome_that_took_effect_is_resolved_by_waiting():
    adapter = FakeAdapter({"a": "running", "b": "running"}, unknown_calls=1)
    reports = run(adapter)
    assert len(adapter.calls) == 1
    assert reports["a"].result == "changed" and reports["a"].error_message is None


def test_unknown_outcome_that_did_not_apply_fails_after_the_wait():
    adapter = FakeAdapter({"a": "running"}, unknown_calls=1, stuck={"a"})
    reports = run(adapter, wait_timeout=3)
    assert len(adapter.calls) == 1
    assert reports["a"].result == "failed" and reports["a"].error_code == "WAIT_TIMEOUT"


def test_unknown_outcome_without_waiting_is_a_failure():
    adapter = FakeAdapter({"a": "running"}, unknown_calls=1)
    reports = run(adapter, wait=False)
    assert reports["a"].result == "failed" and "not checked" in reports["a"].error_message


def test_wait_timeout_reports_the_last_status():
    adapter = FakeAdapter({"a": "running", "b": "running"}, stuck={"b"})
    reports = run(adapter, wait_timeout=3)
    assert reports["a"].result == "changed"
    assert reports["b"].error_code == "WAIT_TIMEOUT" and "last status running" in reports["b"].error_message
    assert reports["b"].written  # the write was accepted: it stays among the changed items


def test_summary_counts():
    adapter = FakeAdapter({"a": "running", "b": "stopped", "c": "broken"})
    reports = run(adapter)
    assert summarize(list(reports.values())) == {"total": 3, "changed": 1, "unchanged": 1, "failed": 1,
                                                 "would_change": 0, "would_fail": 0}


def test_a_lost_write_is_sent_again_once_reading_proves_it_did_not_take_effect():
    adapter = FakeAdapter({"a": "running", "b": "running"}, lost_calls=1)
    reports = run(adapter, wait_timeout=60)
    assert adapter.calls == [["a", "b"], ["a", "b"]]
    assert reports["a"].result == "changed" and "sent again (1 of at most %d)" % MAX_RESENDS in reports["a"].error_message
    assert reports["a"].written and reports["a"].status_after == "stopped"


def test_a_write_that_took_effect_is_never_sent_again():
    adapter = FakeAdapter({"a": "running"}, unknown_calls=1)
    run(adapter, wait_timeout=60)
    assert len(adapter.calls) == 1


def test_resends_are_bounded_and_a_refusal_keeps_the_item_watched():
    adapter = FakeAdapter({"a": "running"}, lost_calls=1, stuck={"a"}, refuse_resend=True)
    reports = run(adapter, wait_timeout=60)
    assert len(adapter.calls) == 1 + MAX_RESENDS
    assert reports["a"].result == "failed" and reports["a"].error_code == "WAIT_TIMEOUT"
    assert "outcome unknown" in reports["a"].error_message and "refused" in reports["a"].error_message


def test_a_resend_whose_answer_is_lost_too_is_sent_again():
    """Three 5xx answers in a row (first write and two re-sends), each proven lost by reading: sent a fourth time."""
    adapter = FakeAdapter({"a": "running"}, lost_calls=3)
    reports = run(adapter, wait_timeout=120)
    assert len(adapter.calls) == 4
    assert reports["a"].result == "changed" and "sent again (3 of at most" in reports["a"].error_message


class FlakyReads(FakeAdapter):
    def __init__(self, statuses, failing_polls):
        super(FlakyReads, self).__init__(statuses)
        self.failing_polls = failing_polls

    def refresh(self, items):
        if self.failing_polls:
            self.failing_polls -= 1
            raise HwCloudError("token must be updated", status=401, code="APIGW.0301")
        return super(FlakyReads, self).refresh(items)


def test_a_failed_poll_is_polled_again_but_not_forever():
    reports = run(FlakyReads({"a": "running"}, failing_polls=2))
    assert reports["a"].result == "changed"
    with pytest.raises(HwCloudError):
        run(FlakyReads({"a": "running"}, failing_polls=3))


@pytest.mark.parametrize("poll_interval, expected", [
    (5, [0.25, 0.5] + [1] * 15 + [1.5, 2.25, 3.375, 5, 5]),
    (0.5, [0.25, 0.5, 0.5, 0.5]),
    (60, [0.25, 0.5] + [1] * 15 + [1.5, 2.25, 3.375, 5.0625]),
])
def test_poll_pauses_start_brisk_then_grow_to_poll_interval(poll_interval, expected):
    clock = [0.0]
    pauses = PollPauses(poll_interval, lambda: clock[0])
    seen = []
    for dummy in expected:
        seen.append(pauses.next())
        clock[0] += seen[-1]
    assert seen == pytest.approx(expected)


class SettlesAt(FakeAdapter):
    """The write is accepted; the item reads 'stopped' only from a given time on."""

    def __init__(self, at, clock):
        super(SettlesAt, self).__init__({"a": "running"})
        self.at, self.clock, self.polls = at, clock, []

    def execute(self, action, items):
        return dict((i.id, Outcome(True, request_id="req")) for i in items)

    def refresh(self, items):
        self.polls.append(self.clock[0])
        return {"a": Item("a", "a", "stopped" if self.clock[0] >= self.at else "running")}


@pytest.mark.parametrize("transition", [1.0, 2.5, 4.2, 7.7, 10.0])
def test_a_wait_notices_settling_within_a_second(transition):
    clock = [0.0]
    adapter = SettlesAt(transition, clock)
    engine = Engine(adapter, wait_timeout=60, poll_interval=5, sleep=lambda s: clock.__setitem__(0, clock[0] + s),
                    clock=lambda: clock[0])
    reports = engine.plan(items_for({"a": "running"}))
    engine.act(reports)
    engine.settle(reports)
    assert reports[0].result == "changed"
    assert transition <= adapter.polls[-1] <= transition + 1.0


class UnknownThenSettled(FakeAdapter):
    """The adapter cannot tell (None) on the first poll, then sees the item stopped."""

    def __init__(self, statuses):
        super(UnknownThenSettled, self).__init__(statuses)
        self.polls = 0

    def refresh(self, items):
        self.polls += 1
        if self.polls == 1:
            return dict((i.id, None) for i in items)
        return super(UnknownThenSettled, self).refresh(items)


def test_an_item_the_adapter_cannot_tell_is_polled_again_not_failed():
    adapter = UnknownThenSettled({"a": "running"})
    reports = run(adapter)
    assert adapter.polls == 2 and reports["a"].result == "changed"


def test_the_wait_reports_its_counts_after_every_poll():
    seen = []
    clock = [0.0]
    adapter = FakeAdapter({"a": "running", "b": "running", "c": "running"}, bad={"c"}, stuck={"b"})
    engine = Engine(adapter, wait_timeout=3, poll_interval=1, sleep=lambda s: clock.__setitem__(0, clock[0] + s),
                    clock=lambda: clock[0], progress=seen.append)
    reports = engine.plan(items_for(adapter.statuses))
    engine.act(reports)
    engine.settle(reports)
    assert seen[0] == {"phase": "waiting", "acted": 2, "pending": 2, "settled": 0, "failed": 0}
    assert seen[1] == {"phase": "waiting", "acted": 2, "pending": 1, "settled": 1, "failed": 0}
    assert len(seen) >= 3 and seen[-1]["pending"] == 1  # b never settles: the timeout fails it after the last count
