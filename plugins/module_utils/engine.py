# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The batch engine shared by every action module: read -> plan -> act -> reconcile -> wait.

A service adapter (see ``adapter.py``) says how to list items, what each item needs,
which API call performs an action, and when an item has settled. The engine does the
rest the same way for every service:

* read the current state with one list/status call per page, never one per item;
* plan per item; unknown selections fail before any write;
* act in chunks of the API's batch limit, ``max_concurrency`` chunks at a time; a chunk
  the API rejects as a whole is split in halves until the offending items are isolated
  (when the adapter says splitting can help), so one bad item does not block the rest;
* reconcile the per-item answers; an item whose write outcome is unknown (no readable answer) is
  watched while waiting, and sent again only once reading proves the write did not take effect;
* wait until the acted-on items settle, polling pages of what is still pending where the API can filter;
* report every item: id, name, status before and after, action, result, error code,
  error message and request id.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

from ansible_collections.hwcloud.taskops.plugins.module_utils.errors import HwCloudError

NO_ACTION = "none"
# A write whose answer was lost is sent again only once reading shows, on two polls in a row and this long after
# it was sent, that the item did not move and is not moving; at most this many times. Each re-send is proven safe
# the same way, so the bound is generous: at one 5xx in five, three lost answers in a row happen to one batch
# call in a hundred, and a window makes dozens of them.
RESEND_AFTER = 5.0
MAX_RESENDS = 8
MAX_FAILED_POLLS = 3
# Waits end when the work ends: the first poll comes soon after the writes, polls stay at most a second apart
# while most transitions finish (they take 1 to 10 s), then the pause grows up to poll_interval.
FIRST_POLL = 0.25
BRISK_FOR = 15.0
BRISK_PAUSE = 1.0


class Decision:
    """What one item needs: an action, nothing, or an error (the state cannot be reached).

    An action together with an error means part of the item can move and part cannot (a VIAS batch
    with a frozen child): the action is sent, and the item then fails for the rest.
    """

    def __init__(self, action=NO_ACTION, error_code=None, message=None):
        self.action = action
        self.error_code = error_code
        self.message = message

    @classmethod
    def impossible(cls, code, message):
        return cls(NO_ACTION, code, message)


class Outcome:
    """The API's answer for one item of a batch call.

    ``partial`` marks a failed item of which part was written (some VIAS children moved): it counts as
    changed and as failed, and is watched until what was written settles.
    """

    def __init__(self, ok, error_code=None, message=None, request_id=None, unknown=False, extra=None,
                 partial=False):
        self.ok = ok
        self.error_code = error_code
        self.message = message
        self.request_id = request_id
        self.unknown = unknown
        self.partial = partial
        # Service-specific fields reported with the item (VIAS: child counts and error_list).
        self.extra = extra or {}


class ItemReport:
    def __init__(self, item, decision):
        self.item = item
        self.action = decision.action
        self.result = "failed" if decision.error_code and decision.action == NO_ACTION else "unchanged"
        # A failure the data already shows for an item that is acted on all the same.
        self.foreseen = (decision.error_code, decision.message) if decision.action != NO_ACTION and \
            decision.error_code else None
        self.settled_at = None
        self.error_code = decision.error_code
        self.error_message = decision.message
        self.request_id = None
        # Untouched items keep their status; acted-on ones learn theirs while waiting.
        self.status_after = item.status if decision.action == NO_ACTION else None
        self.pending = False
        self.extra = {}
        # For writes whose outcome is unknown: when it was sent, polls in a row showing no movement, re-sends.
        self.sent_at = None
        self.unmoved_polls = 0
        self.resends = 0
        # The service accepted (or the state later showed) this item's write: it stays in changed_ids
        # even if it then fails to settle, so nothing the run changed goes missing.
        self.written = False

    def fail(self, code, message, request_id=None):
        self.result = "failed"
        self.error_code = code
        self.error_message = message
        self.request_id = request_id or self.request_id
        self.pending = False

    def as_dict(self):
        data = {
            "id": self.item.id, "name": self.item.name, "type": self.item.kind,
            "status_before": self.item.status, "status_after": self.status_after,
            "action": self.action, "result": self.result, "error_code": self.error_code,
            "error_message": self.error_message, "request_id": self.request_id, "settled_at": self.settled_at,
        }
        data.update(self.item.report_extra)
        data.update(self.extra)
        return data


class Engine:
    def __init__(self, adapter, check_mode=False, max_concurrency=4, wait=True, wait_timeout=600,
                 poll_interval=5, sleep=time.sleep, clock=time.monotonic, progress=None):
        self.adapter = adapter
        self.check_mode = check_mode
        self.max_concurrency = max(1, max_concurrency)
        self.wait = wait
        self.wait_timeout = wait_timeout
        self.poll_interval = poll_interval
        self.sleep = sleep
        self.clock = clock
        # Called with the wait's counts after every poll (the controller's heartbeat shows them).
        self.progress = progress

    # ---- read and plan -------------------------------------------------------------------------
    def plan(self, items):
        reports = [ItemReport(item, self.adapter.plan(item)) for item in items]
        if self.check_mode:
            # The data read already shows these would fail: say so, as a real run would.
            for report in reports:
                if report.result == "failed" or report.foreseen:
                    report.result = "would_fail"
                    report.error_code, report.error_message = report.foreseen or (report.error_code,
                                                                                  report.error_message)
        return reports

    # ---- act -----------------------------------------------------------------------------------
    def act(self, reports):
        todo = [r for r in reports if r.action != NO_ACTION and r.result != "failed"]
        if self.check_mode:
            for report in todo:
                if report.result != "would_fail":
                    report.result = "would_change"
            return
        chunks = self._chunks(todo)
        if len(chunks) <= 1 or self.max_concurrency == 1:
            for action, chunk in chunks:
                self._run_chunk(action, chunk)
            return
        with ThreadPoolExecutor(max_workers=min(self.max_concurrency, len(chunks))) as pool:
            for future in [pool.submit(self._run_chunk, action, chunk) for action, chunk in chunks]:
                future.result()

    def _chunks(self, reports):
        """(action, reports) per batch call: grouped by action, cut to the API's batch limit."""
        chunks, by_action = [], {}
        for report in reports:
            by_action.setdefault(report.action, []).append(report)
        for action, group in sorted(by_action.items()):
            size = self.adapter.batch_size(action)
            chunks.extend((action, group[i:i + size]) for i in range(0, len(group), size))
        return chunks

    def _run_chunk(self, action, chunk):
        try:
            outcomes = self.adapter.execute(action, [r.item for r in chunk])
        except HwCloudError as exc:
            if exc.outcome_unknown:
                for report in chunk:
                    self._mark_unknown(report, exc)
                return
            if len(chunk) > 1 and self.adapter.split_helps(exc):
                middle = len(chunk) // 2
                self._run_chunk(action, chunk[:middle])
                self._run_chunk(action, chunk[middle:])
                return
            for report in chunk:
                report.fail(exc.item_code, self.adapter.explain(exc, report.item),
                            exc.request_id)
            return
        for report in chunk:
            outcome = outcomes.get(report.item.id)
            if outcome is None:
                outcome = Outcome(False, unknown=True,
                                  message="the %s answer did not mention this item" % self.adapter.service)
            report.extra.update(outcome.extra)
            if outcome.unknown:
                self._mark_unknown(report, outcome)
            elif outcome.ok and not report.foreseen:
                report.result = "changed"
                report.request_id = outcome.request_id
                report.pending = True
                report.written = True
            elif outcome.ok or outcome.partial:
                # Part of the item moved and part cannot: changed and failed at once, watched until it settles.
                code, message = report.foreseen if outcome.ok else (outcome.error_code, outcome.message)
                report.fail(code, message, outcome.request_id)
                report.written = True
                report.pending = True
            else:
                report.fail(outcome.error_code, outcome.message, outcome.request_id)

    def _mark_unknown(self, report, source):
        # Not re-sent now: the write may have taken effect. Reading tells what happened (see settle).
        report.result = "unknown"
        report.sent_at = self.clock()
        report.unmoved_polls = 0
        report.error_code = getattr(source, "code", None) or getattr(source, "error_code", None) or "OUTCOME_UNKNOWN"
        detail = str(source) if isinstance(source, HwCloudError) else (getattr(source, "message", None) or source)
        report.error_message = "outcome unknown (%s)" % detail
        report.request_id = getattr(source, "request_id", None)
        report.pending = True

    # ---- re-send what reading proves was lost -----------------------------------------------------
    def _count_unmoved(self, report, current):
        if report.result != "unknown" or current is None:
            return
        still = self.adapter.unmoved(report.item, current, report.action)
        report.unmoved_polls = report.unmoved_polls + 1 if still else 0

    def _resend_due(self, report):
        if report.result != "unknown" or report.unmoved_polls < 2 or report.resends >= MAX_RESENDS:
            return False
        return self.clock() - report.sent_at >= RESEND_AFTER

    def _resend_proven_lost(self, reports):
        """Send again the writes that reading proved never took effect; a refusal keeps the item watched."""
        for report in reports:
            report.resends += 1
        for action, chunk in self._chunks(reports):
            self._resend_chunk(action, chunk)

    def _resend_chunk(self, action, chunk):
        try:
            outcomes = self.adapter.execute(action, [r.item for r in chunk])
        except HwCloudError as exc:
            outcomes = dict((r.item.id, Outcome(False, unknown=exc.outcome_unknown, message=str(exc)))
                            for r in chunk)
        for report in chunk:
            outcome = outcomes.get(report.item.id) or Outcome(False, unknown=True)
            report.sent_at = self.clock()
            report.unmoved_polls = 0
            if outcome.ok:
                report.result = "changed"
                report.written = True
                report.request_id = outcome.request_id
                report.error_code = None
                report.error_message = _resend_note(report)
            else:
                # Refused or unanswered again: the first write may still be taking effect, so keep watching.
                report.error_message = "%s; %s, and that was %s" % (
                    report.error_message, _resend_note(report),
                    "unanswered too" if outcome.unknown else "refused: %s" % (outcome.message or outcome.error_code))

    # ---- wait ----------------------------------------------------------------------------------
    def settle(self, reports):
        """Poll until every acted-on item settles, fails, or the wait times out."""
        pending = [r for r in reports if r.pending]
        if not pending:
            return
        if not self.wait:
            for report in pending:
                if report.result == "unknown":
                    report.fail(report.error_code, report.error_message + "; wait was off, so it was not checked")
            return
        deadline = self.clock() + self.wait_timeout
        pauses = PollPauses(self.poll_interval, self.clock)
        failed_polls = 0
        watched = list(pending)
        self._report_progress(watched, pending)
        self.sleep(pauses.next())
        while pending:
            try:
                current = self.adapter.refresh([r.item for r in pending])
                failed_polls = 0
            except HwCloudError:
                # One failed poll (its retries spent) says nothing about the items: poll again, a few times.
                failed_polls += 1
                pause = pauses.next()
                if failed_polls >= MAX_FAILED_POLLS or self.clock() + pause > deadline:
                    raise
                self.sleep(pause)
                continue
            still = []
            for report in pending:
                if report.item.id in current and current[report.item.id] is None:
                    still.append(report)  # the adapter could not tell this time: look again next poll
                    continue
                item = current.get(report.item.id)
                verdict = self.adapter.settled(report.item, item, report.action) if item else (
                    "failed", "item disappeared while waiting")
                if item is not None:
                    report.status_after = item.status
                if verdict is True:
                    report.pending = False
                    report.written = True
                    report.settled_at = utc_now()
                    if report.result == "unknown":
                        report.result = "changed"
                        report.error_code = None
                        report.error_message = None
                elif verdict and report.result == "failed":
                    report.pending = False  # partly written and already failed: keep its first reason
                elif verdict:
                    report.fail(verdict[0], verdict[1])
                else:
                    self._count_unmoved(report, item)
                    still.append(report)
            self._resend_proven_lost([r for r in still if self._resend_due(r)])
            pending = still
            self._report_progress(watched, pending)
            if not pending:
                return
            pause = pauses.next()
            if self.clock() + pause > deadline:
                for report in pending:
                    lost = " (outcome unknown: %s)" % report.error_message if report.result == "unknown" else ""
                    report.fail("WAIT_TIMEOUT", "did not reach the requested state within %s seconds; last "
                                "status %s%s" % (self.wait_timeout, report.status_after, lost))
                return
            self.sleep(pause)

    def _report_progress(self, watched, pending):
        if self.progress:
            self.progress({"phase": "waiting", "acted": len(watched), "pending": len(pending),
                           "settled": sum(1 for r in watched if r.settled_at),
                           "failed": sum(1 for r in watched if not r.pending and r.result == "failed")})


class PollPauses:
    """The pauses between polls: FIRST_POLL, then doubling up to BRISK_PAUSE for the first BRISK_FOR seconds,
    then growing by half each time, never above poll_interval."""

    def __init__(self, poll_interval, clock):
        self.ceiling = poll_interval
        self.clock = clock
        self.started = clock()
        self.last = None

    def next(self):
        if self.last is None:
            pause = FIRST_POLL
        elif self.clock() - self.started < BRISK_FOR:
            pause = min(self.last * 2, BRISK_PAUSE)
        else:
            pause = max(self.last, BRISK_PAUSE) * 1.5
        self.last = min(pause, self.ceiling)
        return self.last


def _resend_note(report):
    return "the first request's answer was lost and reading showed it had not taken effect, so it was sent again " \
           "(%d of at most %d)" % (report.resends, MAX_RESENDS)


def utc_now():
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")[:-4] + "Z"


def summarize(reports):
    counts = {"total": len(reports), "changed": 0, "unchanged": 0, "failed": 0, "would_change": 0,
              "would_fail": 0}
    for report in reports:
        counts[report.result] = counts.get(report.result, 0) + 1
    return counts
