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
import math
import re

from ansible_collections.hwcloud.taskops.plugins.module_utils.adapter import (
    Item, PlanError, ServiceAdapter, missing_selectors, select_matching,
)
from ansible_collections.hwcloud.taskops.plugins.module_utils.drs_health import read_delays, wait_for_delays
from ansible_collections.hwcloud.taskops.plugins.module_utils.drs_v5 import DrsV5
from ansible_collections.hwcloud.taskops.plugins.module_utils.engine import Decision, Outcome
from ansible_collections.hwcloud.taskops.plugins.module_utils.errors import HwCloudError

# The documented samples end in non-hex letters (...8c61ac9jb502): the API checks a UUID shape.
JOB_ID_PATTERN = re.compile(r"^[0-9a-z]{8}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{12}$")
PAGE_SIZE = 100
# UNCONFIRMED: no per-call limit is documented for the v3 batch APIs. The default is the listing's page size, the
# fewest calls if the service takes it; if it takes fewer, the whole-call parameter error it answers is split in
# halves (SPLITTABLE), so a lower real limit costs a few calls more, never a failed job. Splitting also isolates
# one malformed or vanished job id in a batch.
MAX_BATCH = 100
SPLITTABLE = frozenset(("DRS.M00200", "DRS.M00202", "DRS.10000009", "DRS.10000010"))

# What each documented status means for each requested state: the one table of DRS rules. The service's own
# job_action lists, where the listing carries them, confirm or overrule it (see DrsJobs.plan).
#   running: start | resume | retry (with retry_failed) | none | busy | dead | status
#   paused:  pause | pause_if_incremental | paused (pause_mode checks) | none | starting | busy | status
RULES = {
    "CREATING": ("busy", "busy"),
    "CREATE_FAILED": ("dead", "none"),
    "CONFIGURATION": ("start", "none"),
    "STARTJOBING": ("none", "starting"),
    "WAITING_FOR_START": ("none", "starting"),
    "START_JOB_FAILED": ("retry", "none"),
    "PAUSING": ("resume", "paused"),
    "FULL_TRANSFER_STARTED": ("none", "pause"),
    "FULL_TRANSFER_FAILED": ("retry", "none"),
    # Between the full and the incremental stage: a full+incremental job starts transferring again by itself.
    "FULL_TRANSFER_COMPLETE": ("none", "pause_if_incremental"),
    "INCRE_TRANSFER_STARTED": ("none", "pause"),
    "INCRE_TRANSFER_FAILED": ("retry", "none"),
    "RELEASE_RESOURCE_STARTED": ("dead", "none"),
    "RELEASE_RESOURCE_FAILED": ("dead", "none"),
    "RELEASE_RESOURCE_COMPLETE": ("dead", "none"),
    "REBUILD_NODE_STARTED": ("busy", "busy"),
    "REBUILD_NODE_FAILED": ("busy", "busy"),
    "CHANGE_JOB_STARTED": ("busy", "busy"),
    "CHANGE_JOB_FAILED": ("busy", "busy"),
    "DELETED": ("dead", "none"),
    "CHILD_TRANSFER_STARTING": ("busy", "busy"),
    "CHILD_TRANSFER_STARTED": ("none", "status"),
    "CHILD_TRANSFER_COMPLETE": ("none", "status"),
    "CHILD_TRANSFER_FAILED": ("busy", "busy"),
    "RELEASE_CHILD_TRANSFER_STARTED": ("dead", "none"),
    "RELEASE_CHILD_TRANSFER_COMPLETE": ("dead", "none"),
    "NODE_UPGRADE_START": ("busy", "busy"),
    "NODE_UPGRADE_COMPLETE": ("none", "status"),
    "NODE_UPGRADE_FAILED": ("busy", "busy"),
}
TRANSFERRING = ("FULL_TRANSFER_STARTED", "INCRE_TRANSFER_STARTED")
RETRYABLE = tuple(s for s, rule in RULES.items() if rule[0] == "retry")
DEAD = tuple(s for s, rule in RULES.items() if rule[0] == "dead")
# Settled for state running: nothing left for the job to do but transfer (or wait for its scheduled start).
STARTING = ("STARTJOBING", "WAITING_FOR_START")
RUNNING_OK = tuple(s for s, rule in RULES.items() if rule[0] == "none" and s not in STARTING)
# The verb of the service's job_action lists that each of our actions needs.
NEEDS_ACTION = {"start": "START", "pause": "PAUSE", "resume": "RETRY", "retry": "RETRY"}
JOB_TYPES = ["migration", "sync", "cloudDataGuard"]
API_VERSIONS = ("auto", "v3", "v5")
API_VERSION_SPEC = dict(type="str", default="auto", choices=list(API_VERSIONS))
# What the gateway answers for an API it does not (or no longer) serve.
WITHDRAWN_CODES = ("APIGW.0101", "APIG.0101")
FILTERS_SPEC = dict(type="dict", options=dict(status=dict(type="list", elements="str"),
                                              engine_type=dict(type="list", elements="str"),
                                              job_type=dict(type="list", elements="str", choices=JOB_TYPES)))

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


def check_health_options(module):
    """max_delay and delay_timeout must be finite and sensible before anything is read."""
    max_delay, timeout = module.params.get("max_delay"), module.params["delay_timeout"]
    if max_delay is not None and not (math.isfinite(max_delay) and 0 <= max_delay <= 86400):
        module.fail_json(msg="max_delay must be a number of seconds from 0 to 86400, got %s" % max_delay)
    if not 1 <= timeout <= 86400:
        module.fail_json(msg="delay_timeout must be between 1 and 86400 seconds, got %s" % timeout)


def _chunks(values, size):
    return [values[i:i + size] for i in range(0, len(values), size)]


def job_item(job, parent=None):
    extra = {}
    if parent is not None:
        extra["parent_id"] = parent["id"]
    if job.get("children"):
        extra["children"] = [c.get("name") or c.get("id") for c in job["children"]]
    return Item(job["id"], job.get("name") or job["id"], job.get("status") or "UNKNOWN",
                kind=job.get("task_type"), raw=job, report_extra=extra)


def listed_items(jobs):
    """Items of a listing page, with dual-active child jobs (nested under their parent) flattened in."""
    items = []
    for job in jobs:
        items.append(job_item(job))
        items.extend(job_item(child, job) for child in job.get("children") or [] if child.get("id"))
    return items


def available_actions(item):
    """The service's own list of what the job allows now, or None when the answer did not carry it."""
    action = item.raw.get("job_action")
    if isinstance(action, dict) and isinstance(action.get("available_actions"), list):
        return [str(a).upper() for a in action["available_actions"]]
    return None


def v3_withdrawn(error):
    return error.status == 404 and error.code in WITHDRAWN_CODES


class DrsJobs(ServiceAdapter):
    service = "drs"
    label = "DRS job"
    result_key = "jobs"
    max_batch = MAX_BATCH

    def __init__(self, client, params):
        super(DrsJobs, self).__init__(client, params)
        self.api_version = params.get("api_version") or "auto"
        self.v5 = DrsV5(client)

    def _either(self, on_v3, on_v5):
        """Run on v3 or v5. With auto, the run's first DRS call decides: v3 while it is served; an answer that
        v3 is gone (404 APIGW.0101, nothing done) switches the run to v5 and makes the call again there."""
        if self.api_version == "v5":
            return on_v5()
        try:
            result = on_v3()
        except HwCloudError as exc:
            if self.api_version == "auto" and v3_withdrawn(exc):
                self.api_version = "v5"
                return on_v5()
            raise
        if self.api_version == "auto":
            self.api_version = "v3"
        return result

    def result_extras(self):
        return {"api_version": self.api_version}

    # ---- replication health gates (drs_health.py) --------------------------------------------------
    def gate_before(self, reports, engine):
        """Before pausing: hold each job until its replica has caught up (max_delay), so the paused replica is
        consistent. Check mode reads the delays once and foresees nothing: a real run would wait."""
        max_delay = self.params.get("max_delay")
        todo = [r for r in reports if r.action == "pause" and r.result not in ("failed", "would_fail")]
        if max_delay is None or not todo:
            return
        ids = [r.item.id for r in todo]
        if engine.check_mode:
            delays = read_delays(self.client, ids)
        else:
            delays = wait_for_delays(self.client, ids, max_delay, self.params["delay_timeout"],
                                     engine.poll_interval, engine.sleep, engine.clock)
        for report in todo:
            delay = delays.get(report.item.id)
            report.extra["delay_before"] = delay
            if engine.check_mode or delay is None or delay <= max_delay:
                continue
            message = "replication is %.1f s behind, more than max_delay %s s, after waiting %s s" % (
                delay, max_delay, self.params["delay_timeout"])
            if self.params.get("lagging") == "pause":
                report.extra["delay_note"] = message + "; paused anyway (lagging: pause)"
            else:
                report.fail("REPLICATION_LAGGING", message + "; not paused (set lagging: pause to pause it anyway)")

    def gate_after(self, reports, engine):
        """After resuming or retrying: done only once each job's delay is back under max_delay."""
        max_delay = self.params.get("max_delay")
        resumed = [r for r in reports if r.action in ("resume", "retry", "start") and r.result == "changed"]
        todo = [r for r in resumed if r.status_after != "WAITING_FOR_START"]
        if max_delay is None or not todo or engine.check_mode or not engine.wait:
            return
        delays = wait_for_delays(self.client, [r.item.id for r in todo], max_delay, self.params["delay_timeout"],
                                 engine.poll_interval, engine.sleep, engine.clock)
        for report in todo:
            delay = delays.get(report.item.id)
            report.extra["delay_after"] = delay
            if delay is not None and delay > max_delay:
                report.fail("REPLICATION_LAGGING", "resumed, but replication is still %.1f s behind after %s s "
                            "(max_delay %s s)" % (delay, self.params["delay_timeout"], max_delay))

    def list_jobs(self, name=None):
        """Every job (or those ``name`` selects, v3 only): child jobs flattened in."""
        return self._either(lambda: self._list_v3(name), lambda: listed_items(self.v5.list_all()))

    def _list_v3(self, name=None):
        """Every job (or those ``name`` selects), one listing call per page of 100; child jobs flattened in."""
        items, page, seen = [], 1, 0
        while True:
            body = {"cur_page": page, "per_page": PAGE_SIZE}
            if name:
                body["name"] = name
            data = self.client.call("drs", "POST", "/v3/{project_id}/jobs", "list jobs", body=body, schema=LIST_SCHEMA)
            items.extend(listed_items(data["jobs"]))
            seen += len(data["jobs"])
            if not data["jobs"] or seen >= data["total_record"]:
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

    def _by_ids(self, ids):
        wanted = set(ids)
        return self._either(lambda: self._by_ids_v3(ids),
                            lambda: [i for i in listed_items(self.v5.list_all()) if i.id in wanted])

    def _by_ids_v3(self, ids):
        """The listing's 'name' takes up to 100 comma-separated ids (with job_action); child jobs, which the
        listing only nests, are read with batch-detail."""
        found = []
        for chunk in _chunks(ids, PAGE_SIZE):
            found.extend(i for i in self._list_v3(name=",".join(chunk)) if i.id in chunk)
        missing = [i for i in ids if i not in set(f.id for f in found)]
        if missing:
            rows = self._query("/v3/{project_id}/jobs/batch-detail", "batch job details", missing, DETAIL_SCHEMA)
            found.extend(job_item(r) for r in rows)
        return list(dict((i.id, i) for i in found).values())

    def select(self):
        ids, names = self.params.get("job_ids") or [], self.params.get("job_names") or []
        if not ids and not names:
            return [i for i in self.list_jobs() if self._matches_filters(i)]
        found = self.list_jobs() if names else self._by_ids(list(dict.fromkeys(ids)))
        missing_selectors("job", ids, names, found)
        return select_matching(found, ids, names)

    def _matches_filters(self, item):
        filters = self.params.get("filters") or {}
        checks = (("status", item.status), ("engine_type", item.raw.get("engine_type")),
                  ("job_type", item.raw.get("db_use_type")))
        return all(not filters.get(key) or value in filters[key] for key, value in checks)

    def item_from_plan(self, entry, where):
        if not JOB_ID_PATTERN.match(entry["id"]):
            raise PlanError("%s: %r is not a DRS job id" % (where, entry["id"]))
        if not re.match(r"^[A-Z_]+$", entry["status_before"]):
            raise PlanError("%s: %r is not a DRS status" % (where, entry["status_before"]))
        raw = {"job_action": {"available_actions": entry["available_actions"]}} \
            if isinstance(entry.get("available_actions"), list) else {}
        extra = dict((k, entry[k]) for k in ("parent_id", "children") if entry.get(k))
        return Item(entry["id"], entry["name"], entry["status_before"], kind=entry.get("type"), raw=raw,
                    report_extra=extra)

    @staticmethod
    def describe(item):
        raw = item.raw
        return {"id": item.id, "name": item.name, "status": item.status, "type": item.kind,
                "db_use_type": raw.get("db_use_type"), "engine_type": raw.get("engine_type"),
                "create_time": raw.get("create_time"), "parent_id": item.report_extra.get("parent_id"),
                "children": item.report_extra.get("children") or [], "available_actions": available_actions(item),
                "error_code": raw.get("error_code"), "error_message": raw.get("error_message") or raw.get("error_msg")}

    def describe_all(self, items):
        """The listing carries no error code: failed jobs get theirs from batch-detail (one call per 100)."""
        failed = [i for i in items if "FAILED" in i.status and not i.raw.get("error_code")]
        if failed and self.api_version != "v5":  # v5 has no batch detail: one call per job is not worth it
            details = dict((r["id"], r) for r in self._query("/v3/{project_id}/jobs/batch-detail",
                                                             "batch job details", [i.id for i in failed],
                                                             DETAIL_SCHEMA))
            for item in failed:
                detail = details.get(item.id) or {}
                item.raw["error_code"] = detail.get("error_code")
                item.raw["error_message"] = detail.get("error_message") or detail.get("failed_reason")
        return [self.describe(i) for i in items]

    # ---- deciding ------------------------------------------------------------------------------
    def plan(self, item):
        item.report_extra["available_actions"] = available_actions(item)
        item.report_extra.setdefault("pause_mode", None)
        if item.report_extra.get("children"):
            return Decision.impossible("DUAL_ACTIVE_PARENT", "a dual-active DR parent task cannot be started, paused "
                                                             "or resumed through these APIs; select its child jobs: %s"
                                       % ", ".join(item.report_extra["children"]))
        running = self.params["state"] == "running"
        rule = RULES.get(item.status, ("status", "status"))[0 if running else 1]
        decision = self._from_rule(rule, item)
        return self._confirm(decision, item)

    def _from_rule(self, rule, item):
        status = item.status
        if rule in ("start", "resume", "pause"):
            return Decision(rule)
        if rule == "retry":
            if self.params.get("retry_failed"):
                return Decision("retry")
            return Decision.impossible("JOB_FAILED", "the job is %s; set retry_failed: true to retry it" % status)
        if rule == "pause_if_incremental":
            return Decision("pause") if item.kind != "FULL_TRANS" else Decision()
        if rule == "paused":
            return self._paused_again(item)
        if rule == "starting":
            return Decision.impossible("JOB_STARTING", "the job is %s and will start transferring by itself; "
                                                       "pause it once it transfers" % status)
        if rule == "dead":
            return Decision.impossible("JOB_NOT_USABLE", "the job is %s and can no longer run" % status)
        if rule == "busy":
            return Decision.impossible("JOB_BUSY", "the job is %s; try again once that has finished" % status)
        if rule == "status":
            verb = "run" if self.params["state"] == "running" else "be paused"
            return Decision.impossible("JOB_STATUS", "the job is %s, from which it cannot %s" % (status, verb))
        return Decision()

    def _paused_again(self, item):
        """A paused job asked for pause_mode all: the service does not report the mode a job was paused with."""
        if self.params.get("pause_mode") != "all":
            return Decision()
        offered = available_actions(item)
        if offered is not None and "PAUSE" in offered:
            return Decision("pause")  # the service lets it be paused again with the stricter mode
        return Decision.impossible(
            "PAUSE_MODE_UNCONFIRMED", "the job is already paused, and the service neither reports whether log capture "
            "was paused too (pause_mode all) nor offers to pause it again; resume it and pause it with pause_mode all, "
            "or ask for pause_mode target")

    @staticmethod
    def _confirm(decision, item):
        """Where the listing carries the job's action lists, the service has the last word."""
        offered = available_actions(item)
        if offered is None or decision.action not in NEEDS_ACTION:
            return decision
        needed = NEEDS_ACTION[decision.action]
        if needed in offered:
            return decision
        current = (item.raw.get("job_action") or {}).get("current_action")
        if current:
            return Decision.impossible("JOB_BUSY", "the job is busy with %s; try again once that has finished"
                                       % current)
        return Decision.impossible("JOB_ACTION", "the job is %s and the service does not offer %s now (it offers: %s)"
                                   % (item.status, needed, ", ".join(offered) or "nothing"))

    def execute(self, action, items):
        if action == "start":
            start_time = self.params.get("start_time_ms")
            jobs = [dict({"job_id": i.id}, **({"start_time": start_time} if start_time else {})) for i in items]
        elif action == "pause":
            jobs = [{"job_id": i.id, "pause_mode": self.params["pause_mode"]} for i in items]
            for item in items:
                item.report_extra["pause_mode"] = self.params["pause_mode"]
        else:
            jobs = [{"job_id": i.id} for i in items]
        verdicts, request_id = self._either(lambda: self._execute_v3(action, jobs),
                                            lambda: self.v5.act(action, jobs))
        return dict((job_id, Outcome(True, request_id=request_id) if ok else Outcome(False, code, message, request_id))
                    for job_id, (ok, code, message) in verdicts.items())

    def _execute_v3(self, action, jobs):
        path, operation = ACTIONS[action]
        data, request_id = self.client.call_with_id("drs", "POST", path, operation, body={"jobs": jobs},
                                                    idempotent=False, schema=ACTION_SCHEMA)
        return dict((r["id"], (r["status"] == "success", r.get("error_code") or "DRS.UNKNOWN",
                               r.get("error_msg") or "the job failed without a message"))
                    for r in data["results"]), request_id

    def refresh(self, items):
        return self._either(lambda: self._refresh_v3(items), lambda: self._refresh_v5(items))

    def _refresh_v3(self, items):
        rows = self._query("/v3/{project_id}/jobs/batch-status", "batch job status", [i.id for i in items],
                           STATUS_SCHEMA)
        current = {}
        for row in rows:
            item = job_item(row)
            item.raw["error_message"] = row.get("error_message")
            current[item.id] = item
        return current

    def _refresh_v5(self, items):
        by_type, nested = {}, set()
        for item in items:
            job_type = item.raw.get("db_use_type")
            by_type.setdefault(job_type, []).append(item.id)
            if item.report_extra.get("parent_id"):
                nested.add(job_type)
        rows = []
        for job_type, ids in by_type.items():
            if job_type is None:  # items from a plan, which does not say: every type's pages
                rows.extend(self.v5.list_all())
            else:
                rows.extend(self.v5.rows_by_id({job_type: ids}, nested))
        wanted = set(i.id for i in items)
        return dict((i.id, i) for i in listed_items(rows) if i.id in wanted)

    def unmoved(self, before, current, action):
        return current.status == before.status

    def split_helps(self, error):
        return error.code in SPLITTABLE

    def settled(self, before, current, action):
        status = current.status
        if action == "pause":
            # Re-pausing a paused job with a stricter mode: it stays PAUSING, and the call's success is the answer.
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
