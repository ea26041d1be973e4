# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Run an action or info module on an adapter: the whole module body, shared by every service."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import math
import os
import tempfile

from ansible_collections.hwcloud.taskops.plugins.module_utils.adapter import PlanError, SelectionError
from ansible_collections.hwcloud.taskops.plugins.module_utils.engine import NO_ACTION, Engine, summarize
from ansible_collections.hwcloud.taskops.plugins.module_utils.errors import HwCloudError

WAIT_ARGUMENT_SPEC = dict(
    wait=dict(type="bool", default=True),
    wait_timeout=dict(type="int", default=600),
    poll_interval=dict(type="float", default=5.0),
    max_concurrency=dict(type="int", default=4),
)
# The per-item results of a check-mode run, handed back so the real run acts without reading again.
PLAN_ARGUMENT_SPEC = dict(plan=dict(type="list", elements="dict"))
EXCLUDE_ARGUMENT_SPEC = dict(exclude_ids=dict(type="list", elements="str"),
                             exclude_names=dict(type="list", elements="str"))
RETURN_ITEMS = ("all", "changed", "failed", "none")
# The controller's heartbeat while the module waits (plugin_utils/heartbeat.py) and the counts it shows.
PROGRESS_ARGUMENT_SPEC = dict(heartbeat=dict(type="int", default=15), progress_file=dict(type="path"))
# Every option an action module shares: waiting, a plan, exclusions, and how many items the result carries.
ACTION_ARGUMENT_SPEC = dict(WAIT_ARGUMENT_SPEC, return_items=dict(type="str", default="all", choices=list(RETURN_ITEMS)),
                            **dict(PLAN_ARGUMENT_SPEC, **dict(EXCLUDE_ARGUMENT_SPEC, **PROGRESS_ARGUMENT_SPEC)))
MAX_CONCURRENCY = 16
FAILURES_IN_MESSAGE = 5


MAX_WAIT = 7 * 24 * 3600


def validate_wait_options(module):
    params = module.params
    if not 0 < params["wait_timeout"] <= MAX_WAIT:
        module.fail_json(msg="wait_timeout must be between 1 and %d seconds, got %s"
                         % (MAX_WAIT, params["wait_timeout"]))
    if not (math.isfinite(params["poll_interval"]) and 0 < params["poll_interval"] <= 3600):
        module.fail_json(msg="poll_interval must be a number of seconds above 0 and at most 3600, got %s"
                         % params["poll_interval"])
    if not 1 <= params["max_concurrency"] <= MAX_CONCURRENCY:
        module.fail_json(msg="max_concurrency must be between 1 and %d, got %s"
                         % (MAX_CONCURRENCY, params["max_concurrency"]))
    if params.get("heartbeat") is not None and not 0 <= params["heartbeat"] <= 3600:
        module.fail_json(msg="heartbeat must be between 0 (off) and 3600 seconds, got %s" % params["heartbeat"])
    if params.get("batch_size") is not None and params["batch_size"] < 1:
        module.fail_json(msg="batch_size must be 1 or more, got %s" % params["batch_size"])


def require_selection(module, ids_key, names_key, all_key, optional=False):
    """Exactly one way of selecting: ids and/or names, everything (the all flag, with filters), or a plan.

    Info modules pass ``optional``: selecting nothing there means everything.
    """
    params = module.params
    if params.get("plan") is not None:
        given = [k for k in (ids_key, names_key, all_key) if k and params.get(k)]
        if given:
            module.fail_json(msg="plan already names the items: leave out %s" % ", ".join(given))
        return
    chosen = bool(params.get(ids_key) or params.get(names_key))
    everything = bool(params.get(all_key)) or (optional and not chosen)
    if params.get(all_key) and chosen:
        module.fail_json(msg="%s: true cannot be combined with %s or %s" % (all_key, ids_key, names_key))
    if not everything and not chosen:
        module.fail_json(msg="nothing selected: give %s or %s, or %s: true" % (ids_key, names_key, all_key))
    if params.get("filters") and not everything:
        module.fail_json(msg="filters only apply with %s: true" % all_key)


def _select(module, adapter):
    try:
        if module.params.get("plan") is not None:
            items = adapter.items_from_plan(module.params["plan"])
        else:
            items = adapter.select()
        excluded_ids = set(module.params.get("exclude_ids") or [])
        excluded_names = set(module.params.get("exclude_names") or [])
        return [i for i in items if i.id not in excluded_ids and i.name not in excluded_names]
    except (SelectionError, PlanError) as exc:
        module.fail_json(msg=str(exc), changed=False, api_requests=module.api_requests, **{adapter.result_key: []})
    except HwCloudError as exc:
        module.fail_api_error(exc, changed=False, **{adapter.result_key: []})


def _would_act_and_fail(report):
    return report.result == "would_fail" and report.action != NO_ACTION


def _label(report):
    return "%s (%s)" % (report.item.name, report.item.id)


def _diff(reports):
    before, after = {}, {}
    for report in reports:
        if report.written or report.result in ("would_change", "would_fail") and report.action != NO_ACTION:
            before[_label(report)] = report.item.status
            after[_label(report)] = report.status_after or "(%s requested)" % report.action
    return {"before": before, "after": after}


def run_action(module, adapter_class):
    """Read, plan, act, wait and report; exits the module."""
    validate_wait_options(module)
    adapter = adapter_class(module.client, module.params)
    adapter.check_mode = module.check_mode
    items = _select(module, adapter)
    engine = Engine(adapter, check_mode=module.check_mode, max_concurrency=module.params["max_concurrency"],
                    wait=module.params["wait"], wait_timeout=module.params["wait_timeout"],
                    poll_interval=module.params["poll_interval"],
                    progress=progress_writer(module.params.get("progress_file")))
    reports = engine.plan(items)
    try:
        adapter.gate_before(reports, engine)
    except HwCloudError as exc:
        module.fail_api_error(exc, changed=False, **{adapter.result_key: [r.as_dict() for r in reports]})
    read_error = None
    try:
        engine.act(reports)
        engine.settle(reports)
        adapter.gate_after(reports, engine)
    except HwCloudError as exc:
        # A read failed while waiting: what was already done must still be reported.
        read_error = exc
        for report in reports:
            if report.pending:
                report.fail(exc.code, "state unknown: reading it failed while waiting: %s" % exc)
    # In check mode: what a real run would write, including items that would then partly fail.
    done = [r for r in reports if r.written or r.result == "would_change" or _would_act_and_fail(r)]
    failed = [r for r in reports if r.result in ("failed", "would_fail")]
    result = dict(
        changed=bool(done),
        changed_ids=[r.item.id for r in done],
        failed_ids=[r.item.id for r in failed],
        summary=summarize(reports),
        api_requests=module.api_requests,
    )
    result.update(adapter.result_extras())
    result[adapter.result_key] = [r.as_dict() for r in _returned(reports, module.params.get("return_items"))]
    if module._diff:
        result["diff"] = _diff(reports)
    if read_error is not None and not failed:
        module.fail_api_error(read_error, msg="reading %s state after the writes failed" % adapter.label, **result)
    if failed:
        details = "; ".join("%s: %s %s" % (_label(r), r.error_code or "", r.error_message or "")
                            for r in failed[:FAILURES_IN_MESSAGE])
        more = " (and %d more)" % (len(failed) - FAILURES_IN_MESSAGE) if len(failed) > FAILURES_IN_MESSAGE else ""
        verb = "would fail" if module.check_mode else "failed"
        msg = "%d of %d %ss %s: %s%s" % (len(failed), len(reports), adapter.label, verb, details, more)
        if read_error is not None:
            module.fail_api_error(read_error, msg=msg, **result)
        module.fail_json(msg=msg, **result)
    module.exit_json(**result)


def _returned(reports, which):
    """The items the result carries; changed_ids, failed_ids and summary always cover every item."""
    if which == "none":
        return []
    if which == "changed":
        return [r for r in reports if r.written or r.result in ("changed", "would_change")]
    if which == "failed":
        return [r for r in reports if r.result in ("failed", "would_fail")]
    return reports


def run_info(module, adapter_class):
    """Read the selection and return it under the adapter's result key; never writes."""
    adapter = adapter_class(module.client, module.params)
    items = _select(module, adapter)
    described = adapter.describe_all(items)
    module.exit_json(changed=False, api_requests=module.api_requests,
                     **dict(adapter.result_extras(), **{adapter.result_key: described}))


def progress_writer(path):
    """A function that writes the wait's counts to ``path`` (atomically, for the heartbeat to read), or None.
    Progress is a courtesy: failing to write it never fails the run."""
    if not path:
        return None

    def write(counts):
        temporary = None
        try:
            handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path) or ".", prefix=".progress-")
            with os.fdopen(handle, "w") as stream:
                json.dump(counts, stream)
            os.replace(temporary, path)
        except (OSError, ValueError):
            if temporary and os.path.exists(temporary):
                os.unlink(temporary)
    return write
