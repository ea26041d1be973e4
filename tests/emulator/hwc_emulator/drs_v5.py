"""DRS v5: batch job actions, the job listing (one job type per call), one job's action lists, and the
batch-stop trap, over the same jobs and rules as v3 (one model, two API surfaces).

Built from the v5 definitions (BatchExecuteJobActions, ListJobs, ShowActions) and the SDK's v5 models.
v5 action names map onto the v3 rules: ``start`` (``action_params.start_time`` for a scheduled start),
``stop`` is a pause (``action_params.pause_mode``), ``restart`` resumes a paused job or retries a failed one,
``reset`` restarts a failed transfer from the beginning. ``POST /v5/{project_id}/jobs/batch-stop`` ENDS jobs
(they release their resources); a client that pauses with it loses the replication, and the emulator makes
that visible.

Scenario switches (UNCONFIRMED facts):
  drs.v5_action_answer: sync|async   200 with a Success/Failed status per job (the definition's example), or
                                     202 with a query_id per job and no verdict (the SDK's response model)
  drs.v5_paused_status: PAUSING|unchanged   the v5 listing's status enum has no PAUSING: show it anyway, or
                                     keep the status the job was paused from (only its actions tell)
  drs.v3: served|withdrawn           withdrawn: every v3 DRS API answers 404 APIGW.0101, as for a removed API
"""

import uuid

from hwc_emulator import drs, errors
from hwc_emulator.validate import check_body

JOB_TYPES = ("migration", "sync", "cloudDataGuard", "replay")
# Every action_name the definition lists; the ones not modelled here are refused per job.
ACTION_NAMES = ("network", "precheck", "start", "stop", "restart", "reset", "terminate", "skip_precheck",
                "create_compare", "cancel_compare", "column_limit", "reload_parameters", "bind_eip", "unbind_eip",
                "set_writable", "cloud_connection", "set_readonly", "diagnosis", "start_repair", "stop_repair")
ACTION_SCHEMA = {"type": "object", "required": ["jobs"], "properties": {"jobs": {"type": "array", "items": {
    "type": "object", "required": ["action_name", "job_id"], "properties": {
        "job_id": {"type": "string"}, "action_name": {"type": "string", "enum": list(ACTION_NAMES)},
        "action_params": {"type": "object", "properties": {
            "pause_mode": {"type": "string", "enum": ["target", "all"]},
            "start_time": {"type": ["string", "null"], "pattern": "^[0-9]*$"},
            "is_sync_re_edit": {"type": "boolean"}, "force_delete": {"type": "boolean"}}}}}}}}
STOP_SCHEMA = {"type": "object", "required": ["jobs"], "properties": {"jobs": {"type": "array", "items": {
    "type": "object", "required": ["job_id"], "properties": {
        "job_id": {"type": "string"}, "is_force_stop": {"type": "boolean"}}}}}}
MAX_LIMIT = 100


def _param_error(detail):
    return errors.flat(400, errors.DRS_PARAM[0], "Parameter error: %s" % detail)


def _entries(world, body, schema):
    check_body(body, schema, _param_error)
    jobs = body["jobs"]
    if not jobs:
        code, message = errors.DRS_EMPTY
        raise errors.flat(400, code, message % "jobs")
    if len(jobs) > world.drs_batch_limit:
        raise _param_error("at most %d jobs per call" % world.drs_batch_limit)
    for entry in jobs:
        if not drs.JOB_ID_RE.match(entry["job_id"]):
            code, message = errors.DRS_INVALID
            raise errors.flat(400, code, message % "job_id")
    return jobs


def _reset_job(world, ctx, item, entry):
    status = item.fields["status"]
    if status not in drs.RETRYABLE:
        return drs.refusal(status, "resetting")
    item.set(ctx.now, current_action="RESET", error_code="", error_message="")
    item.schedule(ctx.now, drs.run_steps(world, item.fields["task_type"], first_delay=world.delays["drs"]))
    return None


def _act(world, ctx, item, entry):
    name = entry["action_name"]
    params = entry.get("action_params") or {}
    if name == "start":
        return drs.start_job(world, ctx, item, {"start_time": params.get("start_time")})
    if name == "stop":
        if not params.get("pause_mode"):
            return errors.DRS_EMPTY[0], errors.DRS_EMPTY[1] % "pause_mode"
        return drs.pause_job(world, ctx, item, {"pause_mode": params["pause_mode"]})
    if name == "restart":
        return drs.retry_job(world, ctx, item, {"is_sync_re_edit": params.get("is_sync_re_edit")})
    if name == "reset":
        return _reset_job(world, ctx, item, entry)
    return errors.DRS_PARAM[0], "The action %s is not supported by this emulator." % name


def batch_action(world, ctx, body):
    """POST /v5/{project_id}/jobs/action."""
    jobs = _entries(world, body, ACTION_SCHEMA)
    done = drs.act_on_each(world, ctx, jobs, lambda item, entry: _act(world, ctx, item, entry))
    names = dict((job_id, item.fields["name"] if item else "") for job_id, item, dummy in done)
    if world.drs_v5_action_answer == "async":
        return 202, {"jobs": [{"id": job_id, "name": names[job_id], "query_id": str(uuid.uuid4())}
                              for job_id, dummy, dummy in done]}
    rows = []
    for job_id, item, error in done:
        row = {"id": job_id, "name": names[job_id], "status": "Failed" if error else "Success"}
        if error:
            # v5 names a missing job with its own code (the definition's example).
            code = "DRS.10020102" if error == errors.DRS_NO_JOB else error[0]
            row["error_code"], row["error_msg"] = code, error[1]
        rows.append(row)
    return 200, {"jobs": rows}


def batch_stop(world, ctx, body):
    """POST /v5/{project_id}/jobs/batch-stop: ends the jobs (never a pause)."""
    jobs = _entries(world, body, STOP_SCHEMA)

    def end(item, entry):
        item.set(ctx.now, current_action="DELETE")
        item.schedule(ctx.now, [(0.0, {"status": "RELEASE_RESOURCE_STARTED"}),
                                (world.delays["drs"], {"status": "RELEASE_RESOURCE_COMPLETE"})])
        return None

    done = drs.act_on_each(world, ctx, jobs, end)
    return 200, {"jobs": [dict({"id": job_id, "name": item.fields["name"] if item else "",
                                "status": "Failed" if error else "Success"},
                               **({"error_code": error[0], "error_msg": error[1]} if error else {}))
                          for job_id, item, error in done]}


def _int(query, name, default, low, high):
    raw = query.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise _param_error(name)
    if not low <= value <= high:
        raise _param_error(name)
    return value


def _row(world, item, fields):
    """JobListResp / ChildrenJobListResp: v5 says job_type where v3 said db_use_type."""
    status = fields["status"]
    if status == "PAUSING" and world.drs_v5_paused_status == "unchanged":
        status = item.fields.get("resume_status") or "INCRE_TRANSFER_STARTED"
    return {"id": fields["id"], "name": fields["name"], "status": status, "description": fields["description"],
            "create_time": fields["create_time"], "engine_type": fields["engine_type"],
            "net_type": fields["net_type"], "charging_mode": "on_demand", "billing_tag": False,
            "job_direction": fields["job_direction"], "job_type": fields["db_use_type"],
            "task_type": fields["task_type"], "enterprise_project_id": "0", "is_multi_az": False,
            "node_new_framework": True, "job_action": drs.job_action(world, item, fields)}


def list_jobs(world, ctx, query):
    """GET /v5/{project_id}/jobs: one job type per call (job_type is required), offset/limit paging."""
    job_type = query.get("job_type")
    if job_type not in JOB_TYPES:
        code, message = (errors.DRS_EMPTY[0], errors.DRS_EMPTY[1] % "job_type") if not job_type else \
            (errors.DRS_INVALID[0], errors.DRS_INVALID[1] % "job_type")
        raise errors.flat(400, code, message)
    offset = _int(query, "offset", 0, 0, 10 ** 9)
    limit = _int(query, "limit", 10, 1, MAX_LIMIT)
    names = [n for n in (query.get("name") or "").split(",") if n]
    if len(names) > 10:
        raise _param_error("name takes at most 10 job ids")
    rows = []
    for item in world.drs.values():
        f = item.view(ctx.now, ctx.lag)
        if f["status"] == "DELETED" or f["parent_id"] or f["db_use_type"] != job_type:
            continue
        if names and not (f["id"] in names or (len(names) == 1 and names[0] in f["name"])):
            continue
        if query.get("status") and _row(world, item, f)["status"] != query["status"]:
            continue
        if query.get("engine_type") and f["engine_type"] != query["engine_type"]:
            continue
        rows.append((item, f))
    reverse = (query.get("sort_dir") or "desc").lower() != "asc"
    rows.sort(key=lambda pair: (pair[1]["create_time"], pair[1]["id"]), reverse=reverse)
    jobs = []
    for item, f in rows[offset:offset + limit]:
        row = _row(world, item, f)
        row["children"] = [_row(world, child, child.view(ctx.now, ctx.lag)) for child in world.drs.values()
                           if child.fields["parent_id"] == f["id"]]
        jobs.append(row)
    return 200, {"total_count": len(rows), "jobs": jobs}


def show_actions(world, ctx, job_id):
    """GET /v5/{project_id}/jobs/{job_id}/actions."""
    item = world.drs.get(job_id)
    if item is None or item.view(ctx.now, ctx.lag)["status"] == "DELETED":
        raise errors.flat(400, "DRS.10020102", errors.DRS_NO_JOB[1])  # UNCONFIRMED: code and status
    return 200, {"job_action": drs.job_action(world, item, item.view(ctx.now, ctx.lag))}
