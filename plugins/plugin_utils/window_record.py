# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The maintenance-window record: its schema, and every change made to it.

The record is the one place that says what a window stopped. Its rules:

* the modules decide (in check mode) what each selected object needs; the record only keeps their
  answers, so no rule about a service's states lives here;
* everything planned for quiescing was running before the window, so exit brings back exactly the
  planned objects (``plan: act``), whatever enter managed to do before a crash: it never starts anything
  that was not running, and it starts everything the window stopped or may have stopped;
* VIAS is planned child by child, so only the children that ran before come back.

Schema (version 2)::

    format, version, window_id, host, revision, status, policy, order, created_at, updated_at,
    entered_at, exit_started_at, finished_at, events: [{at, what}],
    services: {roma|drs|vias: {settings, planned_at, errors: {enter: [], exit: []},
               done_at: {enter, exit}, items: [ITEM]}}
    ITEM: id, name, type, status_before, plan (act|quiet|skipped|blocked), action, code, reason,
          instance_id (roma), status_counts and children: [CHILD] (vias),
          enter and exit: {result, status_after, error_code, error_message, request_id, settled_at,
                           and for DRS with health gates delay_before (enter), delay_after (exit), delay_note}
    CHILD: id, name, state_before, plan, action, code, reason, enter and exit: {result, state_after, ...}

Statuses: entering, enter_failed, entered, exiting, exit_failed (all need an exit), finished and
aborted (nothing left to bring back; aborted means enter refused before any write).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

FORMAT = "hwcloud.taskops.maintenance_record"
VERSION = 2
DONE = ("finished", "aborted")
OPEN = ("entering", "enter_failed", "entered", "exiting", "exit_failed")
POLICIES = ("fail", "skip")
DEFAULT_ORDER = ["drs", "roma", "vias"]
# What the record needs to know of each service: the module's per-item result key and labels.
SERVICES = {
    "roma": {"key": "tasks", "label": "ROMA FDI tasks", "noun": "task",
             "enter_state": "stopped", "exit_state": "started"},
    "drs": {"key": "jobs", "label": "DRS jobs", "noun": "job", "enter_state": "paused", "exit_state": "running"},
    "vias": {"key": "batch_tasks", "label": "VIAS batch tasks", "noun": "batch task",
             "enter_state": "stopped", "exit_state": "started"},
}
PHASE_FIELDS = ("result", "status_after", "error_code", "error_message", "request_id", "settled_at")
# DRS replication delays the health gates measured (seconds), kept when the module reported them.
GATE_FIELDS = ("delay_before", "delay_after", "delay_note")
CHILD_PHASE_FIELDS = ("result", "state_after", "error_code", "error_message", "request_id")


class WindowError(Exception):
    """The window cannot go on; the message says why and what to do."""


def utc_now(clock=time.time):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(clock()))


# ---- creating and planning ---------------------------------------------------------------------
def new_record(window_id, host, policy, order, now):
    return {"format": FORMAT, "version": VERSION, "window_id": window_id, "host": host, "revision": 0,
            "status": "entering", "policy": policy, "order": list(order), "created_at": now, "updated_at": now,
            "entered_at": None, "exit_started_at": None, "finished_at": None, "events": [], "services": {}}


def event(record, now, what):
    record.setdefault("events", []).append({"at": now, "what": what})


def planning_steps(order, roma, drs, vias):
    """Module arguments for the check-mode planning run of each service that has targets."""
    steps = {}
    if "roma" in order and roma:
        steps["roma"] = []
        for target in roma:
            selects = target.get("task_ids") or target.get("task_names") or target.get("all_tasks")
            if not selects:
                # Without this a target would list, and stop, every task of the instance.
                raise WindowError("maintenance_window_roma entry for instance %s selects nothing: give task_ids, "
                                  "task_names or all_tasks: true." % target.get("instance_id"))
            step = {"instance_id": target["instance_id"], "state": "stopped"}
            for key in ("task_ids", "task_names", "all_tasks", "filters"):
                if target.get(key):
                    step[key] = target[key]
            steps["roma"].append(step)
    if "drs" in order and (drs.get("job_ids") or drs.get("job_names")):
        step = {"state": "paused", "pause_mode": drs.get("pause_mode") or "target"}
        step.update((k, drs[k]) for k in ("job_ids", "job_names") if drs.get(k))
        steps["drs"] = [step]
    if "vias" in order and (vias.get("batch_task_ids") or vias.get("batch_task_names")):
        step = {"state": "stopped", "children": True}
        step.update((k, vias[k]) for k in ("batch_task_ids", "batch_task_names") if vias.get(k))
        steps["vias"] = [step]
    return steps


def module_results(service, registered):
    """(items, errors) from a registered, looped module task; a module-level failure is an error."""
    key = SERVICES[service]["key"]
    items, errors = [], []
    for result in (registered or {}).get("results") or []:
        if not isinstance(result, dict) or result.get("skipped"):
            continue
        listed = result.get(key)
        if result.get("msg") and not listed:
            errors.append(str(result["msg"]))
        elif result.get("exception") or result.get("module_stderr"):
            errors.append(str(result.get("msg") or result.get("module_stderr") or "the module crashed"))
        if isinstance(listed, list):
            items.extend(i for i in listed if isinstance(i, dict) and i.get("id"))
    return items, errors


def _plan_entry(service, item, policy):
    """The record's entry for one item of a check-mode result."""
    entry = {"id": item["id"], "name": item.get("name") or item["id"], "type": item.get("type"),
             "status_before": item.get("status_before"), "action": item.get("action"), "code": None,
             "reason": None}
    if service == "roma":
        entry["instance_id"] = item.get("instance_id")
    cannot = item.get("result") == "would_fail"
    if service == "vias":
        entry["status_counts"] = item.get("status_counts") or {}
        entry["children"] = [_child_entry(c, policy) for c in item.get("children") or []]
        acting = any(c["plan"] == "act" for c in entry["children"])
        blocked = any(c["plan"] == "blocked" for c in entry["children"])
        skipped = any(c["plan"] == "skipped" for c in entry["children"])
        entry["plan"] = "blocked" if blocked else "act" if acting else "skipped" if skipped else "quiet"
        if cannot:
            entry.update(code=item.get("error_code"), reason=item.get("error_message"))
        return entry
    if cannot:
        entry.update(plan="blocked" if policy == "fail" else "skipped", code=item.get("error_code"),
                     reason=item.get("error_message"))
    elif item.get("action") not in (None, "none") and item.get("result") == "would_change":
        entry["plan"] = "act"
    else:
        entry.update(plan="quiet", reason="already %s" % item.get("status_before"))
    return entry


def _child_entry(child, policy):
    entry = {"id": child.get("id"), "name": child.get("name"), "state_before": child.get("state_before"),
             "action": child.get("action"), "code": None, "reason": None}
    if child.get("result") == "would_fail":
        entry.update(plan="blocked" if policy == "fail" else "skipped", code=child.get("error_code"),
                     reason=child.get("error_message"))
    elif child.get("action") not in (None, "none"):
        entry["plan"] = "act"
    else:
        entry["plan"] = "quiet"
    return entry


def commit_plan(record, plans, settings, now):
    """Turn the check-mode results into the record's plan. Raises WindowError when planning failed.

    Returns the names of blocked objects (the fail policy then refuses the window).
    """
    problems = []
    for service in record["order"]:
        if service not in plans:
            continue
        items, errors = module_results(service, plans[service])
        if errors:
            problems.extend("%s: %s" % (SERVICES[service]["label"], e) for e in errors)
            continue
        record["services"][service] = {
            "settings": settings.get(service) or {}, "planned_at": now, "done_at": {}, "errors": {},
            "items": [_plan_entry(service, item, record["policy"]) for item in items]}
    if problems:
        raise WindowError("planning failed, nothing was changed: %s" % " | ".join(problems))
    event(record, now, "planned")
    return blocked_objects(record)


def blocked_objects(record):
    return ["%s %s%s: %s" % (service, item["name"], "" if entry is item else "/" + entry["name"], entry["reason"])
            for service, dummy, item, entry in objects(record) if entry["plan"] == "blocked"]


def _acting(record):
    """(service, section, objects planned for quiescing) for each service that has some."""
    for service, section in record["services"].items():
        acting = [i for i in section["items"] if i["plan"] == "act"]
        if acting:
            yield service, section, acting


def _per_instance(acting, key, value, state):
    """One ROMA module call per instance: {instance_id, key: [value(item)...], state}."""
    by_instance = {}
    for item in acting:
        by_instance.setdefault(item["instance_id"], []).append(value(item))
    return [{"instance_id": k, key: v, "state": state} for k, v in sorted(by_instance.items())]


def act_steps(record):
    """Module arguments that quiesce exactly the planned objects, from the plan (nothing is read again)."""
    steps = {}
    for service, section, acting in _acting(record):
        state = SERVICES[service]["enter_state"]
        if service == "roma":
            steps[service] = _per_instance(acting, "plan", _module_entry, state)
        elif service == "drs":
            steps[service] = [{"plan": [_module_entry(i) for i in acting], "state": state,
                               "pause_mode": section["settings"].get("pause_mode", "target")}]
        else:
            steps[service] = [{"plan": [_vias_module_entry(i) for i in acting], "state": state, "children": True}]
    return steps


def _module_entry(item):
    entry = {"id": item["id"], "name": item["name"], "status_before": item["status_before"]}
    for key in ("type", "instance_id"):
        if item.get(key):
            entry[key] = item[key]
    return entry


def _vias_module_entry(item):
    entry = _module_entry(item)
    entry["status_counts"] = item["status_counts"]
    # Children skipped by the policy are left out, so the module does not act on (or fail for) them.
    entry["children"] = [{"id": c["id"], "name": c["name"], "state_before": c["state_before"]}
                         for c in item["children"] if c["plan"] in ("act", "quiet")]
    return entry


def restore_steps(record):
    """Module arguments that bring back everything planned for quiescing, and nothing else."""
    steps = {}
    for service, dummy, acting in _acting(record):
        state = SERVICES[service]["exit_state"]
        if service == "roma":
            steps[service] = _per_instance(acting, "task_ids", lambda i: i["id"], state)
        elif service == "drs":
            steps[service] = [{"job_ids": [i["id"] for i in acting], "state": state}]
        else:
            per_child = [i for i in acting if not i.get("whole_batch")]
            whole = [i for i in acting if i.get("whole_batch")]
            steps[service] = []
            if per_child:
                steps[service].append({"batch_task_ids": [i["id"] for i in per_child], "state": state,
                                       "child_task_ids": [c["id"] for i in per_child for c in i["children"]
                                                          if c["plan"] == "act"]})
            if whole:
                steps[service].append({"batch_task_ids": [i["id"] for i in whole], "state": state})
    return steps


# ---- results of the acting steps ---------------------------------------------------------------
def apply_step(record, phase, service, registered, now):
    """Merge the module results of one service step; returns the problems it showed."""
    section = record["services"].get(service)
    if section is None:
        return []
    items, errors = module_results(service, registered)
    by_id = dict((i["id"], i) for i in items)
    problems = ["%s: %s" % (SERVICES[service]["label"], e) for e in errors]
    for entry in section["items"]:
        result = by_id.get(entry["id"])
        if result is None:
            continue
        entry[phase] = dict((k, result.get(k)) for k in PHASE_FIELDS)
        entry[phase].update((k, result[k]) for k in GATE_FIELDS if result.get(k) is not None)
        if service == "vias":
            children = dict((c.get("id"), c) for c in result.get("children") or [])
            for child in entry.get("children", []):
                if child["id"] in children:
                    child[phase] = dict((k, children[child["id"]].get(k)) for k in CHILD_PHASE_FIELDS)
        if result.get("result") == "failed":
            problems.append("%s %s: %s %s" % (service, entry["name"], result.get("error_code") or "",
                                              result.get("error_message") or ""))
    section["errors"][phase] = errors
    section["done_at"][phase] = now
    event(record, now, "%s %s %s" % (SERVICES[service]["label"], "quiesced" if phase == "enter" else "restored",
                                     "with problems" if problems else "as planned"))
    return problems


def still_stopped(record):
    """After exit: what was planned for quiescing and is not known to be back."""
    left = ["%s: the record's section is damaged (%s); bring its objects back by hand" % (service, damage["problem"])
            for service, damage in sorted((record.get("damaged") or {}).items())]
    for service, section in record["services"].items():
        errors = section.get("errors", {}).get("exit") or []
        left.extend("%s: %s" % (SERVICES[service]["label"], e) for e in errors)
        for item in section["items"]:
            if item["plan"] != "act":
                continue
            outcome = (item.get("exit") or {}).get("result")
            if outcome in (None, "failed", "unknown"):
                left.append("%s %s (%s)" % (SERVICES[service]["noun"], item["name"], item["id"]))
    return left


def objects(record):
    """(service, section, item, entry) per object in service order; VIAS batches read child by child yield one per
    child (entry is the child), everything else yields the item itself as entry."""
    for service in record["order"]:
        section = record["services"].get(service)
        if not section:
            continue
        for item in section["items"]:
            for entry in (item.get("children") if service == "vias" else None) or [item]:
                yield service, section, item, entry


def count_objects(record, plan):
    """How many objects (VIAS children counted one by one) have this plan."""
    return sum(1 for dummy, dummy2, dummy3, entry in objects(record) if entry["plan"] == plan)


def preview_lines(record):
    """At most one line per object that would change, then one summary line per service."""
    lines = []
    for service, dummy, item, entry in objects(record):
        if entry["plan"] == "quiet":
            continue
        where = "%s/" % item["instance_id"] if item.get("instance_id") else ""
        name = item["name"] if entry is item else "%s/%s" % (item["name"], entry["name"])
        before = entry.get("status_before") if entry is item else entry.get("state_before")
        lines.append("%-5s %s%s: %s -> %s" % (service, where, name, before, _verb(entry)))
    lines.extend(summary_lines(record))
    return lines


def _verb(entry):
    if entry["plan"] == "act":
        return entry["action"]
    return "%s (%s)" % (entry["plan"], entry.get("reason") or entry.get("code"))


def summary_lines(record):
    counts = {}
    for service, dummy, dummy2, entry in objects(record):
        per_plan = counts.setdefault(service, {})
        per_plan[entry["plan"]] = per_plan.get(entry["plan"], 0) + 1
    return ["%s: %d to quiesce, %d already quiet, %d skipped, %d cannot be quiesced" % (
        SERVICES[service]["label"] + (" (child tasks)" if service == "vias" else ""), c.get("act", 0),
        c.get("quiet", 0), c.get("skipped", 0), c.get("blocked", 0)) for service, c in counts.items()]
