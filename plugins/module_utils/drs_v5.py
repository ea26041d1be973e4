# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""DRS v5: the same reads and writes as the v3 batch APIs, on the v5 surface the SDK recommends.

* Writes: ``POST /v5/{project_id}/jobs/action``, one call per batch: ``start`` (with ``start_time``),
  ``stop`` = pause (with ``pause_mode``), ``restart`` = resume or retry. Never ``/v5/.../jobs/batch-stop``:
  that ENDS jobs.
* Reads: ``GET /v5/{project_id}/jobs`` takes one ``job_type`` per call, so a full listing is one paged
  listing per type; polls ask for the pending jobs by id (10 per call) where that costs fewer calls than
  the type's pages.
* The v5 status enum has no ``PAUSING``: a job in a transfer status whose actions offer RETRY and not PAUSE
  (and is busy with nothing) is paused, whatever status name the listing uses.

Rows become the same items as v3's (``db_use_type`` is v5's ``job_type``), so the adapter's rules apply
unchanged.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

JOBS_PATH = "/v5/{project_id}/jobs"
ACTION_PATH = "/v5/{project_id}/jobs/action"
JOB_TYPES = ("migration", "sync", "cloudDataGuard", "replay")
PAGE_SIZE = 100
IDS_PER_CALL = 10  # the listing's name filter takes at most 10 job ids
ACTION_NAMES = {"start": "start", "pause": "stop", "resume": "restart", "retry": "restart"}
TRANSFER_STATUSES = ("FULL_TRANSFER_STARTED", "INCRE_TRANSFER_STARTED", "FULL_TRANSFER_COMPLETE")

LIST_SCHEMA = {"type": "object", "required": ["total_count", "jobs"], "properties": {
    "total_count": {"type": "integer", "minimum": 0},
    "jobs": {"type": "array", "items": {"type": "object", "required": ["id", "name", "status"],
                                        "properties": {"id": {"type": "string"}, "name": {"type": "string"},
                                                       "status": {"type": "string"}}}}}}
ACTION_SCHEMA = {"type": "object", "required": ["jobs"], "properties": {"jobs": {"type": "array", "items": {
    "type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}}}}


def as_v3_row(row):
    """A v5 listing row as the v3 listing would give it."""
    job = dict(row, db_use_type=row.get("job_type"))
    action = row.get("job_action") if isinstance(row.get("job_action"), dict) else {}
    offered = [str(a).upper() for a in action.get("available_actions") or []]
    if job["status"] in TRANSFER_STATUSES and "RETRY" in offered and "PAUSE" not in offered \
            and not action.get("current_action"):
        job["status"] = "PAUSING"
    if row.get("children"):
        job["children"] = [as_v3_row(c) for c in row["children"]]
    return job


class DrsV5:
    """The v5 calls, answering in v3's shapes: listing rows, and per-job (ok, code, message) verdicts."""

    def __init__(self, client):
        self.client = client
        self.totals = {}  # jobs per type, from the last full listing: polls use it to choose their calls

    def list_type(self, job_type, name=None):
        rows, offset = [], 0
        while True:
            query = {"job_type": job_type, "offset": offset, "limit": PAGE_SIZE}
            if name:
                query["name"] = name
            data = self.client.call("drs", "GET", JOBS_PATH, "list %s jobs (v5)" % job_type, query=query,
                                    schema=LIST_SCHEMA)
            rows.extend(as_v3_row(r) for r in data["jobs"])
            offset += len(data["jobs"])
            if not name:
                self.totals[job_type] = data["total_count"]
            if not data["jobs"] or offset >= data["total_count"]:
                return rows

    def list_all(self):
        return [row for job_type in JOB_TYPES for row in self.list_type(job_type)]

    def rows_by_id(self, ids_by_type, nested):
        """Current rows of these jobs. Per type, the cheaper of: ids 10 per call, or the type's pages (always
        the pages for jobs nested under a parent, which the id filter does not reach)."""
        rows = []
        for job_type, ids in sorted(ids_by_type.items()):
            pages = -(-self.totals.get(job_type, PAGE_SIZE * len(ids)) // PAGE_SIZE)
            chunks = [ids[i:i + IDS_PER_CALL] for i in range(0, len(ids), IDS_PER_CALL)]
            if job_type in nested or pages <= len(chunks):
                rows.extend(self.list_type(job_type))
            else:
                for chunk in chunks:
                    rows.extend(self.list_type(job_type, name=",".join(chunk)))
        return rows

    def act(self, action, jobs):
        """One batch action; jobs are v3-style entries ({job_id, start_time?, pause_mode?})."""
        body = {"jobs": [{"job_id": job["job_id"], "action_name": ACTION_NAMES[action],
                          "action_params": dict((k, v) for k, v in job.items() if k != "job_id")}
                         for job in jobs]}
        for entry in body["jobs"]:
            if not entry["action_params"]:
                del entry["action_params"]
        data, request_id = self.client.call_with_id("drs", "POST", ACTION_PATH, "batch %s jobs (v5)" % action,
                                                    body=body, idempotent=False, schema=ACTION_SCHEMA)
        verdicts = {}
        for row in data["jobs"]:
            status = str(row.get("status") or "").lower()
            if "query_id" in row and not status:
                # An asynchronous answer (202) gives no verdict: the job's state will tell.
                verdicts[row["id"]] = (True, None, None)
            else:
                verdicts[row["id"]] = (status == "success", row.get("error_code") or "DRS.UNKNOWN",
                                       row.get("error_msg") or "the job failed without a message")
        return verdicts, request_id
