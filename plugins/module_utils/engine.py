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
* reconcile the per-item answers; an item whose write outcome is unknown (timeout or
  reset after sending) is never re-sent: it is watched while waiting instead;
* wait until the acted-on items settle, polling whole pages;
* report every item: id, name, status before and after, action, result, error code,
  error message and request id.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.hwcloud.taskops.plugins.module_utils.errors import HwCloudError

NO_ACTION = "none"


class Decision:
    """What one item needs: an action, nothing, or an error (the state cannot be reached)."""

    def __init__(self, action=NO_ACTION, error_code=None, message=None):
        self.action = action
        self.error_code = error_code
        self.message = message

    @classmethod
    def impossible(cls, code, message):
        return cls(NO_ACTION, code, message)


class Outcome:
    """The API's answer for one item of a batch call."""

    def __init__(self, ok, error_code=None, message=None, request_id=None, unknown=False, extra=None):
        self.ok = ok
        self.error_code = error_code
        self.message = message
        self.request_id = request_id
        self.unknown = unknown
        # Service-specific fields reported with the item (VIAS: child counts and error_list).
        self.extra = extra or {}


class ItemReport:
    def __init__(self, item, decision):
        self.item = item
        self.action = decision.action
        self.result = "failed" if decision.error_code else "unchanged"
        self.error_code = decision.error_code
        self.error_message = decision.message
        self.request_id = None
        # Untouched items keep their status; acted-on ones learn theirs while waiting.
        self.status_after = item.status if decision.action == NO_ACTION else None
        self.pending = False
        self.extra = {}
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
            "error_message": self.error_message, "request_id": self.request_id,
        }
        data.update(self.item.report_extra)
        data.update(self.extra)
        return data


class Engine:
    def __init__(self, adapter, check_mode=False, max_concurrency=4, wait=True, wait_timeout=600,
                 poll_interval=5, sleep=time.sleep, clock=time.monotonic):
        self.adapter = adapter
        self.check_mode = check_mode
        self.max_concurrency = max(1, max_concurrency)
        self.wait = wait
        self.wait_timeout = wait_timeout
        self.poll_interval = poll_interval
        self.sleep = sleep
        self.clock = clock

    # ---- read and plan -------------------------------------------------------------------------
    def plan(self, items):
        return [ItemReport(item, self.adapter.plan(item)) for item in items]

    # ---- act -----------------------------------------------------------------------------------
    def act(self, reports):
        todo = [r for r in reports if r.action != NO_ACTION and r.result != "failed"]
        if self.check_mode:
            for report in todo:
                report.result = "would_change"
            return
        chunks = []
        by_action = {}
        for report in todo:
            by_action.setdefault(report.action, []).append(report)
        for action, group in sorted(by_action.items()):
            size = self.adapter.batch_size(action)
            chunks.extend((action, group[i:i + size]) for i in range(0, len(group), size))
        if len(chunks) <= 1 or self.max_concurrency == 1:
            for action, chunk in chunks:
                self._run_chunk(action, chunk)
            return
        with ThreadPoolExecutor(max_workers=min(self.max_concurrency, len(chunks))) as pool:
            for future in [pool.submit(self._run_chunk, action, chunk) for action, chunk in chunks]:
                future.result()

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
                report.fail(exc.code or "HTTP %s" % exc.status, self.adapter.explain(exc, report.item),
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
            elif outcome.ok:
                report.result = "changed"
                report.request_id = outcome.request_id
                report.pending = True
                report.written = True
            else:
                report.fail(outcome.error_code, outcome.message, outcome.request_id)

    @staticmethod
    def _mark_unknown(report, source):
        # Never re-sent: the write may have taken effect. Waiting tells what happened.
        report.result = "unknown"
        report.error_code = getattr(source, "code", None) or getattr(source, "error_code", None)
        report.error_message = "outcome unknown (%s); the request was not repeated" % (
            getattr(source, "message", None) or source)
        report.request_id = getattr(source, "request_id", None)
        report.pending = True

    # ---- wait ----------------------------------------------------------------------------------
    def settle(self, reports):
        """Poll whole pages until every acted-on item settles, fails, or the wait times out."""
        pending = [r for r in reports if r.pending]
        if not pending:
            return
        if not self.wait:
            for report in pending:
                if report.result == "unknown":
                    report.fail(report.error_code, report.error_message + "; wait was off, so it was not checked")
            return
        deadline = self.clock() + self.wait_timeout
        while pending:
            current = self.adapter.refresh([r.item for r in pending])
            still = []
            for report in pending:
                item = current.get(report.item.id)
                verdict = self.adapter.settled(report.item, item, report.action) if item else (
                    "failed", "item disappeared while waiting")
                if item is not None:
                    report.status_after = item.status
                if verdict is True:
                    report.pending = False
                    report.written = True
                    if report.result == "unknown":
                        report.result = "changed"
                        report.error_code = None
                        report.error_message = None
                elif verdict:
                    report.fail(verdict[0], verdict[1])
                else:
                    still.append(report)
            pending = still
            if not pending:
                return
            if self.clock() + self.poll_interval > deadline:
                for report in pending:
                    report.fail("WAIT_TIMEOUT", "did not reach the requested state within %s seconds; last "
                                "status %s" % (self.wait_timeout, report.status_after))
                return
            self.sleep(self.poll_interval)


def summarize(reports):
    counts = {"total": len(reports), "changed": 0, "unchanged": 0, "failed": 0, "would_change": 0}
    for report in reports:
        counts[report.result] = counts.get(report.result, 0) + 1
    return counts
