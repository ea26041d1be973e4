# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""DRS v3 batch jobs: start, pause, resume/retry (batch-retry-task), status.

Which status allows which action is inferred from the documentation's prose (the
reference marks it UNCONFIRMED). Anything outside the rules below is reported per job
with its status and the reason, and never counted as a success.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import re

from ansible_collections.hwcloud.taskops.plugins.module_utils.adapter import (
    Item, PlanError, ServiceAdapter, missing_selectors, select_matching,
)
from ansible_collections.hwcloud.taskops.plugins.module_utils.engine import Decision, Outcome

# The documented samples end in non-hex letters (...8c61ac9jb502): the API checks a UUID shape.
JOB_ID_PATTERN = re.compile(r"^[0-9a-z]{8}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{12}$")
PAGE_SIZE = 100
# UNCONFIRMED: no per-call limit is documented for the v3 batch APIs; 100 matches the page size.
MAX_BATCH = 100

TRANSFERRING = ("FULL_TRANSFER_STARTED", "INCRE_TRANSFER_STARTED")
RUNNING_OK = TRANSFERRING + ("FULL_TRANSFER_COMPLETE", "CHILD_TRANSFER_STARTED", "CHILD_TRANSFER_COMPLETE",
                             "NODE_UPGRADE_COMPLETE")
RETRYABLE = ("FULL_TRANSFER_FAILED", "INCRE_TRANSFER_FAILED", "START_JOB_FAILED")
DEAD = ("CREATE_FAILED", "RELEASE_RESOURCE_STARTED", "RELEASE_RESOURCE_FAILED", "RELEASE_RESOURCE_COMPLETE",
        "DELETED", "RELEASE_CHILD_TRANSFER_STARTED", "RELEASE_CHILD_TRANSFER_COMPLETE")
# Statuses that end by themselves: the job is busy, try again when it has settled.
BUSY = ("CREATING", "REBUILD_NODE_STARTED", "CHANGE_JOB_STARTED", "CHILD_TRANSFER_STARTING", "NODE_UPGRADE_START",
        "REBUILD_NODE_FAILED", "CHANGE_JOB_FAILED", "CHILD_TRANSFER_FAILED", "NODE_UPGRADE_FAILED")
QUIET = ("CONFIGURATION", "FULL_TRANSFER_COMPLETE") + RETRYABLE

_RESULT = {"type": "object", "required": ["id", "status"],
           "properties": {"id": {"type": "string"}, "status": {"type": "string"}}}
ACTION_SCHEMA = {"type": "object", "required": ["results"],
                 "properties": {"results": {"type": "array", "items": _RESULT}}}
STATUS_SCHEMA = {"type": "object", "required": ["results"], "properties": {"results": {"type": "array", "items": {
    "type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}}}}
DETAIL_SCHEMA = STATUS_SCHEMA
LIST_SCHEMA = {"type": "object", "required": ["total_record", "jobs"], "properties": {
    "total_record": {"type": "integer"},
    "jobs": {"type": "array", "items": {"type": "object", "required": ["id", "name", "status"],
                                        "properties": {"id": {"type": "string"}, "name": {"type": "string"},
                                                       "status": {"type": "string"}}}}}}
ACTIONS = {
    "start": ("/v3/{project_id}/jobs/batch-starting", "batch start jobs"),
    "pause": ("/v3/{project_id}/jobs/batch-pause-task", "batch pause jobs"),
    "resume": ("/v3/{project_id}/jobs/batch-retry-task", "batch resume jobs"),
    "retry": ("/v3/{project_id}/jobs/batch-retry-task", "batch retry jobs"),
}


def parse_start_time(value, now=None):
    """Epoch milliseconds as a string, from epoch ms or an ISO 8601 time with a UTC offset."""
    if value is None:
        return None
    text = str(value).strip()
    if text.isdigit():
        millis = int(text)
    else:
        try:
            when = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError("start_time must be epoch milliseconds or an ISO 8601 time such as "
                             "2026-11-23T02:00:00+00:00, got %r" % text)
        if when.tzinfo is None:
            raise ValueError("start_time %r has no UTC offset; add one (for example +00:00 or Z)" % text)
        millis = int(when.timestamp() * 1000)
    current = (now if now is not None else datetime.datetime.now(datetime.timezone.utc).timestamp()) * 1000
    if millis <= current:
        raise ValueError("start_time %s lies in the past; leave it out to start now" % text)
    return str(millis)


def check_job_ids(module):
    """Fail the module, before any API call, on job ids that are not UUID-shaped."""
    bad = [i for i in module.params.get("job_ids") or [] if not JOB_ID_PATTERN.match(i)]
    if bad:
        module.fail_json(msg="job_ids must be UUID-shaped (8-4-4-4-12 lower-case letters and digits): %s"
                         % ", ".join(bad))


def _chunks(values, size):
    return [values[i:i + size] for i in range(0, len(values), size)]


def job_item(job):
    return Item(job["id"], job.get("name") or job["id"], job.get("status") or "UNKNOWN",
                kind=job.get("task_type"), raw=job)


class DrsJobs(ServiceAdapter):
    service = "drs"
    label = "DRS job"
    result_key = "jobs"
    max_batch = MAX_BATCH

    def list_jobs(self):
        """Every job, one listing call per page of 100."""
        items, page = [], 1
        while True:
            data = self.client.call("drs", "POST", "/v3/{project_id}/jobs", "list jobs",
                                    body={"cur_page": page, "per_page": PAGE_SIZE}, schema=LIST_SCHEMA)
            items.extend(job_item(j) for j in data["jobs"])
            if not data["jobs"] or len(items) >= data["total_record"]:
                return items
            page += 1

    def _query(self, path, operation, ids, schema):
        rows = []
        for chunk in _chunks(ids, PAGE_SIZE):
            # per_page 0 returns every requested job in one answer.
            data = self.client.call("drs", "POST", path, operation, schema=schema,
                                    body={"jobs": chunk, "page_req": {"cur_page": 1, "per_page": 0}})
            rows.extend(r for r in data["results"] if r.get("status"))
        return rows

    def select(self):
        ids, names = self.params.get("job_ids") or [], self.params.get("job_names") or []
        if not ids and not names:
            wanted = (self.params.get("filters") or {}).get("status")
            return [i for i in self.list_jobs() if not wanted or i.status in wanted]
        if names:
            found = self.list_jobs()
        else:
            found = [job_item(r) for r in self._query("/v3/{project_id}/jobs/batch-detail", "batch job details",
                                                      list(dict.fromkeys(ids)), DETAIL_SCHEMA)]
        missing_selectors("job", ids, names, found)
        return select_matching(found, ids, names)

    def item_from_plan(self, entry, where):
        if not JOB_ID_PATTERN.match(entry["id"]):
            raise PlanError("%s: %r is not a DRS job id" % (where, entry["id"]))
        if not re.match(r"^[A-Z_]+$", entry["status_before"]):
            raise PlanError("%s: %r is not a DRS status" % (where, entry["status_before"]))
        return Item(entry["id"], entry["name"], entry["status_before"], kind=entry.get("type"))

    @staticmethod
    def describe(item):
        raw = item.raw
        return {"id": item.id, "name": item.name, "status": item.status, "type": item.kind,
                "db_use_type": raw.get("db_use_type"), "engine_type": raw.get("engine_type"),
                "create_time": raw.get("create_time")}

    def plan(self, item):
        status = item.status
        if self.params["state"] == "running":
            return self._plan_running(status)
        return self._plan_paused(status)

    def _plan_running(self, status):
        if status == "CONFIGURATION":
            return Decision("start")
        if status == "PAUSING":
            return Decision("resume")
        if status in RETRYABLE:
            if self.params.get("retry_failed"):
                return Decision("retry")
            return Decision.impossible("JOB_FAILED", "the job is %s; set retry_failed: true to retry it" % status)
        if status in RUNNING_OK or status in ("STARTJOBING", "WAITING_FOR_START"):
            return Decision()
        return self._refuse(status, "run")

    def _plan_paused(self, status):
        if status in TRANSFERRING:
            return Decision("pause")
        if status == "PAUSING" or status in QUIET or status in DEAD:
            return Decision()  # nothing is transferring, so there is nothing to pause
        if status in ("STARTJOBING", "WAITING_FOR_START"):
            return Decision.impossible("JOB_STARTING", "the job is %s and will start transferring by itself; "
                                                       "pause it once it transfers" % status)
        return self._refuse(status, "be paused")

    @staticmethod
    def _refuse(status, verb):
        if status in DEAD:
            return Decision.impossible("JOB_NOT_USABLE", "the job is %s and can no longer %s" % (status, verb))
        if status in BUSY:
            return Decision.impossible("JOB_BUSY", "the job is %s; try again once that has finished" % status)
        return Decision.impossible("JOB_STATUS", "the job is %s, from which it cannot %s" % (status, verb))

    def execute(self, action, items):
        path, operation = ACTIONS[action]
        if action == "start":
            start_time = self.params.get("start_time_ms")
            jobs = [dict({"job_id": i.id}, **({"start_time": start_time} if start_time else {})) for i in items]
        elif action == "pause":
            jobs = [{"job_id": i.id, "pause_mode": self.params["pause_mode"]} for i in items]
        else:
            jobs = [{"job_id": i.id} for i in items]
        data, request_id = self.client.call_with_id("drs", "POST", path, operation, body={"jobs": jobs},
                                                    idempotent=False, schema=ACTION_SCHEMA)
        outcomes = {}
        for result in data["results"]:
            if result["status"] == "success":
                outcomes[result["id"]] = Outcome(True, request_id=request_id)
            else:
                outcomes[result["id"]] = Outcome(False, result.get("error_code") or "DRS.UNKNOWN",
                                                 result.get("error_msg") or "the job failed without a message",
                                                 request_id)
        return outcomes

    def refresh(self, items):
        rows = self._query("/v3/{project_id}/jobs/batch-status", "batch job status", [i.id for i in items],
                           STATUS_SCHEMA)
        current = {}
        for row in rows:
            item = job_item(row)
            item.raw["error_message"] = row.get("error_message")
            current[item.id] = item
        return current

    def settled(self, before, current, action):
        status = current.status
        if action == "pause":
            done = status == "PAUSING"
        elif action == "start" and self.params.get("start_time_ms"):
            done = status in RUNNING_OK or status == "WAITING_FOR_START"
        else:
            done = status in RUNNING_OK
        if done:
            return True
        # A retried job still shows its old failed status until the service picks the retry up.
        if status in RETRYABLE and not (action == "retry" and status == before.status):
            detail = current.raw.get("error_message")
            return "JOB_FAILED", "the job went to %s%s" % (status, ": %s" % detail if detail else "")
        if status in DEAD:
            return "JOB_NOT_USABLE", "the job went to %s" % status
        return False
