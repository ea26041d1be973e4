# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""VIAS batch tasks: a batch has no status of its own, so it is derived from its children's counts.

Two ways of acting:

* whole batches (the default): one start/stop call per batch, decided from the per-state counts;
* children (``children: true`` or ``child_task_ids``): each selected batch's children are listed
  (one call per page of a batch) and decided one by one. A batch is then still acted on with the
  batch call when that call would move exactly the children wanted and none that cannot move;
  otherwise each child that needs it gets the per-task call, so children stopped before stay stopped.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.hwcloud.taskops.plugins.module_utils.adapter import (
    Item, PlanError, SelectionError, ServiceAdapter, missing_selectors, select_matching,
)
from ansible_collections.hwcloud.taskops.plugins.module_utils.engine import NO_ACTION, Decision, Outcome
from ansible_collections.hwcloud.taskops.plugins.module_utils.errors import HwCloudError

PAGE_SIZE = 200
CHILD_PAGE_SIZE = 1000  # the ListTasks maximum
RUNNING_LIKE = ("running", "pending", "recovering", "scheduling", "abnormal")
STOPPED_LIKE = ("stopped", "stopped_no_service", "succeeded", "failed", "start_failed")
# Children in these states cannot be started or stopped; they are reported but do not decide.
UNMOVABLE = ("create_failed", "frozen", "freezing", "deleting", "upgrading", "lack_of_resources")
# Of those, the ones that may run again by themselves: a window cannot quiesce them.
UNCONTROLLED = ("frozen", "freezing", "upgrading", "lack_of_resources")
# 'abnormal' children run but misbehave: stopping stops them, starting leaves them alone.
NEEDS = {"start": STOPPED_LIKE + ("stopping",), "stop": RUNNING_LIKE + ("starting",)}
REACHED = {"start": RUNNING_LIKE, "stop": STOPPED_LIKE}
MOVING = ("starting", "stopping")
COMMAND = {"started": "start", "stopped": "stop"}
STATES = ["running", "stopped", "starting", "stopping", "mixed", "unavailable", "empty"]
FILTERS_SPEC = dict(type="dict", options=dict(state=dict(type="list", elements="str", choices=STATES)))
CHILD_PATH = "/v2/{project_id}/tasks/%s/action/%s"

LIST_SCHEMA = {"type": "object", "required": ["count", "batch_task_list"], "properties": {
    "count": {"type": "integer"},
    "batch_task_list": {"type": "array", "items": {
        "type": "object", "required": ["id", "batch_task_name", "batch_task_status_info"],
        "properties": {"id": {"type": "string"}, "batch_task_name": {"type": "string"},
                       "batch_task_status_info": {"type": "object",
                                                  "additionalProperties": {"type": "integer", "minimum": 0}}}}}}}
CHILDREN_SCHEMA = {"type": "object", "required": ["tasks"], "properties": {"tasks": {"type": "array", "items": {
    "type": "object", "required": ["id", "name", "state"],
    "properties": {"id": {"type": "string"}, "name": {"type": "string"}, "state": {"type": "string"}}}}}}
ACTION_SCHEMA = {"type": "object", "required": ["total_count", "succeed_count", "failed_count"], "properties": {
    "total_count": {"type": "integer"}, "succeed_count": {"type": "integer"}, "failed_count": {"type": "integer"},
    "error_list": {"type": ["array", "null"], "items": {"type": "string"}}}}
CHILD_ACTION_SCHEMA = {"type": "object"}


def derive_state(counts):
    """One word for a batch: running, stopped, starting, stopping, mixed, unavailable or empty."""
    total = sum(counts.values())
    movable = total - sum(counts.get(k, 0) for k in UNMOVABLE)
    if total == 0:
        return "empty"
    if movable == 0:
        return "unavailable"
    for moving in MOVING:
        if counts.get(moving):
            return moving
    if sum(counts.get(k, 0) for k in RUNNING_LIKE) == movable:
        return "running"
    if sum(counts.get(k, 0) for k in STOPPED_LIKE) == movable:
        return "stopped"
    return "mixed"


def batch_item(row):
    counts = dict((k, v) for k, v in row["batch_task_status_info"].items() if v)
    return Item(row["id"], row["batch_task_name"], derive_state(counts), kind=row.get("alg_name"),
                report_extra={"status_counts": counts}, raw=row)


def child_entry(row):
    return {"id": row["id"], "name": row["name"], "state_before": row["state"].lower(), "state_after": None,
            "action": NO_ACTION, "result": "unchanged", "error_code": None, "error_message": None,
            "request_id": None}


def plan_child(child, command, wanted):
    """Decide one child: (action, error_code, message)."""
    state = child["state_before"]
    if wanted is not None and child["id"] not in wanted:
        return NO_ACTION, None, None
    if state in NEEDS[command]:
        return command, None, None
    if command == "stop" and state in UNCONTROLLED:
        return NO_ACTION, "CHILD_NOT_CONTROLLABLE", "child task %s is %s: it cannot be stopped and may run again " \
            "by itself" % (child["name"], state.upper())
    if command == "start" and state in UNMOVABLE:
        return NO_ACTION, "CHILD_NOT_CONTROLLABLE", "child task %s is %s and cannot be started" % (
            child["name"], state.upper())
    return NO_ACTION, None, None


class ViasBatches(ServiceAdapter):
    service = "vias"
    label = "VIAS batch task"
    result_key = "batch_tasks"
    max_batch = 1  # the API acts on one batch per call; batches run in parallel

    @property
    def per_child(self):
        return bool(self.params.get("children") or self.params.get("child_task_ids"))

    @property
    def wanted_children(self):
        ids = self.params.get("child_task_ids")
        return set(ids) if ids else None

    # ---- reading -------------------------------------------------------------------------------
    def list_batches(self):
        items, page = [], 1
        while True:
            data = self.client.call("vias", "GET", "/v2/{project_id}/batch-tasks", "list batch tasks",
                                    query={"page_num": page, "page_size": PAGE_SIZE, "sort_name": "created_at",
                                           "order_by": "asc"}, schema=LIST_SCHEMA)
            items.extend(batch_item(row) for row in data["batch_task_list"])
            if not data["batch_task_list"] or len(items) >= data["count"]:
                return items
            page += 1

    def list_children(self, batch_id):
        """The child tasks of one batch, one call per page of 1,000 ('count' is the page's length)."""
        children, page = [], 1
        while True:
            data = self.client.call("vias", "GET", "/v2/{project_id}/tasks", "list child tasks",
                                    query={"batch_id": batch_id, "page": page, "page_size": CHILD_PAGE_SIZE,
                                           "sort_dir": "asc"}, schema=CHILDREN_SCHEMA)
            children.extend(child_entry(row) for row in data["tasks"])
            if len(data["tasks"]) < CHILD_PAGE_SIZE:
                return children
            page += 1

    def _with_children(self, items, always=False):
        """List the children of the batches whose counts show one to act on, or one that cannot move.

        A batch whose counts show neither needs nothing, so its children are not read (one call saved per batch).
        """
        command = COMMAND[self.params["state"]]
        for item in items:
            counts = item.report_extra["status_counts"]
            if always or any(counts.get(k) for k in NEEDS[command] + UNMOVABLE):
                item.report_extra["children"] = self.list_children(item.id)
            else:
                item.report_extra["children"] = []
        return items

    def select(self):
        items = self.list_batches()
        ids, names = self.params.get("batch_task_ids"), self.params.get("batch_task_names")
        if not ids and not names:
            wanted = (self.params.get("filters") or {}).get("state")
            selected = [i for i in items if not wanted or i.status in wanted]
        else:
            missing_selectors("batch task", ids, names, items)
            selected = select_matching(items, ids, names)
        if self.per_child:
            self._with_children(selected, always=self.wanted_children is not None)
            self._check_wanted_children(selected)
        return selected

    def _check_wanted_children(self, items):
        wanted = self.wanted_children
        if wanted is None:
            return
        known = set(c["id"] for i in items for c in i.report_extra["children"])
        unknown = sorted(wanted - known)
        if unknown:
            raise SelectionError("child tasks not found in the selected batches: %s. Nothing was changed."
                                 % ", ".join(unknown))

    def item_from_plan(self, entry, where):
        counts = entry.get("status_counts")
        if not isinstance(counts, dict) or not all(isinstance(v, int) and v >= 0 for v in counts.values()):
            raise PlanError("%s: status_counts must map child states to counts" % where)
        extra = {"status_counts": dict(counts)}
        if self.per_child:
            children = entry.get("children")
            if not isinstance(children, list):
                raise PlanError("%s has no children: make the plan with children: true" % where)
            extra["children"] = []
            for child in children:
                if not isinstance(child, dict) or not all(isinstance(child.get(k), str) and child[k]
                                                          for k in ("id", "name", "state_before")):
                    raise PlanError("%s: every child needs id, name and state_before" % where)
                extra["children"].append(child_entry({"id": child["id"], "name": child["name"],
                                                      "state": child["state_before"]}))
        return Item(entry["id"], entry["name"], derive_state(counts), kind=entry.get("type"), report_extra=extra)

    @staticmethod
    def describe(item):
        raw = item.raw
        return {"id": item.id, "name": item.name, "state": item.status,
                "status_counts": item.report_extra["status_counts"], "num_task": raw.get("num_task"),
                "alg_name": raw.get("alg_name"), "created_at": raw.get("created_at")}

    # ---- deciding ------------------------------------------------------------------------------
    def plan(self, item):
        command = COMMAND[self.params["state"]]
        if self.per_child:
            return self._plan_children(item, command)
        counts = item.report_extra["status_counts"]
        action = command if self.params.get("force") or any(counts.get(k) for k in NEEDS[command]) else NO_ACTION
        # Children that cannot follow make the batch fail on every run (after the others moved, on the first),
        # and check mode foresees it from the counts.
        stuck = dict((k, counts[k]) for k in (UNCONTROLLED if command == "stop" else UNMOVABLE) if counts.get(k))
        if stuck:
            return Decision(action, "CHILD_NOT_CONTROLLABLE", "%s child task(s) cannot %s (%s)" % (
                sum(stuck.values()), command, ", ".join("%s: %d" % kv for kv in sorted(stuck.items()))))
        return Decision(action)

    def _plan_children(self, item, command):
        acting, problems = 0, []
        for child in item.report_extra["children"]:
            action, code, message = plan_child(child, command, self.wanted_children)
            child["action"] = action
            if code:
                child.update(result="would_fail" if self.check_mode else "failed", error_code=code,
                             error_message=message)
                problems.append(message)
            elif action != NO_ACTION:
                acting += 1
                child["result"] = "would_change" if self.check_mode else "pending"
        if not problems:
            return Decision(command if acting else NO_ACTION)
        message = "%d child task(s) cannot %s: %s" % (len(problems), command, "; ".join(problems))
        # Children that can move still do; the batch then fails for the rest (a partial success).
        return Decision(command if acting else NO_ACTION, "CHILD_NOT_CONTROLLABLE", message)

    def _batch_call_fits(self, item, command):
        """The batch call moves exactly the children wanted and meets none that cannot move."""
        counts = item.report_extra["status_counts"]
        if any(counts.get(k) for k in UNMOVABLE):
            return False
        return all(c["action"] == command for c in item.report_extra["children"] if c["state_before"] in
                   NEEDS[command])

    # ---- acting --------------------------------------------------------------------------------
    def execute(self, action, items):
        outcomes = {}
        for item in items:
            if self.per_child and not self._batch_call_fits(item, action):
                outcomes[item.id] = self._execute_children(item, action)
            else:
                outcomes[item.id] = self._execute_batch(item, action)
        return outcomes

    def _execute_batch(self, item, action):
        data, request_id = self.client.call_with_id(
            "vias", "PUT", "/v2/{project_id}/batch-tasks/%s/action/%s" % (item.id, action),
            "batch task %s" % action, idempotent=False, schema=ACTION_SCHEMA)
        extra = {"total_count": data["total_count"], "succeed_count": data["succeed_count"],
                 "failed_count": data["failed_count"], "error_list": data.get("error_list") or []}
        for child in item.report_extra.get("children", []):
            if child["action"] == action:
                child.update(result="sent", request_id=request_id)
        if data["failed_count"]:
            message = "%d of %d child tasks could not %s: %s" % (
                data["failed_count"], data["total_count"], action, "; ".join(extra["error_list"]) or "no detail")
            partial = data["succeed_count"] > 0
            return Outcome(False, "CHILD_TASKS_FAILED", message, request_id, extra=extra, partial=partial)
        return Outcome(True, request_id=request_id, extra=extra)

    def _execute_children(self, item, action):
        sent = failed = unknown = 0
        last_request = None
        for child in item.report_extra["children"]:
            if child["action"] != action:
                continue
            try:
                dummy, request_id = self.client.call_with_id("vias", "PUT", CHILD_PATH % (child["id"], action),
                                                             "task %s" % action, idempotent=False,
                                                             schema=CHILD_ACTION_SCHEMA)
                child.update(result="sent", request_id=request_id)
                last_request = request_id
                sent += 1
            except HwCloudError as exc:
                if exc.outcome_unknown:
                    child.update(result="unknown", error_message=str(exc), request_id=exc.request_id)
                    unknown += 1
                else:
                    child.update(result="failed", error_code=exc.item_code, error_message=str(exc),
                                 request_id=exc.request_id)
                    failed += 1
        if failed:
            names = [c["name"] for c in item.report_extra["children"] if c["result"] == "failed"]
            message = "%d child task(s) could not %s: %s" % (failed, action, ", ".join(names))
            return Outcome(False, "CHILD_TASKS_FAILED", message, last_request, partial=bool(sent or unknown))
        if unknown:
            # Watched like any lost write: reading tells whether those children moved, and re-sends if not.
            return Outcome(False, unknown=True, request_id=last_request,
                           message="no readable answer for the %s of %d child task(s)" % (action, unknown))
        return Outcome(True, request_id=last_request)

    # ---- waiting -------------------------------------------------------------------------------
    def refresh(self, items):
        current = dict((i.id, i) for i in self.list_batches())
        if self.per_child:
            self._with_children([current[i.id] for i in items if i.id in current], always=True)
        return current

    def unmoved(self, before, current, action):
        if self.per_child:
            # Only the children whose answer was lost matter (all of them when the batch call's answer was lost).
            now = dict((c["id"], c["state_before"]) for c in current.report_extra.get("children", []))
            lost = [c for c in before.report_extra["children"]
                    if c["action"] == action and c["result"] in ("unknown", "pending")]
            return bool(lost) and all(now.get(c["id"]) == c["state_before"] for c in lost)
        counts = current.report_extra["status_counts"]
        return counts == before.report_extra["status_counts"] and not any(counts.get(k) for k in MOVING)

    def settled(self, before, current, action):
        if self.per_child:
            return self._children_settled(before, current, action)
        counts = current.report_extra["status_counts"]
        if any(counts.get(k) for k in MOVING):
            return False
        if action == "start":
            if counts.get("start_failed"):
                return "CHILD_TASKS_FAILED", "%d child tasks failed to start" % counts["start_failed"]
            return not any(counts.get(k) for k in NEEDS["start"])
        return not any(counts.get(k) for k in NEEDS["stop"])

    @staticmethod
    def _children_settled(before, current, action):
        now = dict((c["id"], c["state_before"]) for c in current.report_extra.get("children", []))
        waiting, failures = False, []
        for child in before.report_extra["children"]:
            if child["id"] in now:
                child["state_after"] = now[child["id"]]
            if child["action"] != action or child["result"] not in ("sent", "unknown", "pending", "changed"):
                continue
            state = now.get(child["id"])
            if state in REACHED[action]:
                child["result"] = "changed"
            elif state == "start_failed" and action == "start":
                child.update(result="failed", error_code="START_FAILED")
                failures.append(child["name"])
            elif state is None:
                child.update(result="failed", error_code="GONE", error_message="the child task disappeared")
                failures.append(child["name"])
            else:
                waiting = True
        if waiting:
            return False
        if failures:
            return "CHILD_TASKS_FAILED", "child tasks did not %s: %s" % (action, ", ".join(failures))
        return True
