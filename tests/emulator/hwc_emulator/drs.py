"""DRS v3 batch APIs: start, pause, retry/resume, status, detail, and the job listing.

Which statuses allow which action is inferred in the reference (UNCONFIRMED); the
rules below follow it: start from CONFIGURATION (WAITING_FOR_START may be re-timed),
pause while transferring, resume from PAUSING (paused) and retry from the *_FAILED
statuses of a transfer or a start. A job with an operation still in progress refuses
new ones with DRS.M01504, as the service does while a task is busy.
"""

import re

from hwc_emulator import errors
from hwc_emulator.validate import check_body

STATUSES = (
    "CREATING", "CREATE_FAILED", "CONFIGURATION", "STARTJOBING", "WAITING_FOR_START", "START_JOB_FAILED",
    "PAUSING", "FULL_TRANSFER_STARTED", "FULL_TRANSFER_FAILED", "FULL_TRANSFER_COMPLETE",
    "INCRE_TRANSFER_STARTED", "INCRE_TRANSFER_FAILED", "RELEASE_RESOURCE_STARTED", "RELEASE_RESOURCE_FAILED",
    "RELEASE_RESOURCE_COMPLETE", "REBUILD_NODE_STARTED", "REBUILD_NODE_FAILED", "CHANGE_JOB_STARTED",
    "CHANGE_JOB_FAILED", "DELETED", "CHILD_TRANSFER_STARTING", "CHILD_TRANSFER_STARTED", "CHILD_TRANSFER_COMPLETE",
    "CHILD_TRANSFER_FAILED", "RELEASE_CHILD_TRANSFER_STARTED", "RELEASE_CHILD_TRANSFER_COMPLETE",
    "NODE_UPGRADE_START", "NODE_UPGRADE_COMPLETE", "NODE_UPGRADE_FAILED",
)
# The documented samples end in non-hex characters (...8c61ac9jb502): the check is a UUID *shape*.
JOB_ID_RE = re.compile(r"^[0-9a-z]{8}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{12}$")
# The largest page of a listing (the per-call job limit of batch actions is the scenario switch drs.batch_limit).
MAX_PER_PAGE = 100
TRANSFERRING = ("FULL_TRANSFER_STARTED", "INCRE_TRANSFER_STARTED")
# A full+incremental job between its full and incremental stage is about to transfer again: it can be paused.
PAUSABLE = {"FULL_TRANSFER_STARTED": "*", "INCRE_TRANSFER_STARTED": "*", "FULL_TRANSFER_COMPLETE": "FULL_INCR_TRANS"}
STARTABLE = ("CONFIGURATION", "WAITING_FOR_START")
RETRYABLE = {"FULL_TRANSFER_FAILED": "FULL_TRANSFER_STARTED", "INCRE_TRANSFER_FAILED": "INCRE_TRANSFER_STARTED",
             "START_JOB_FAILED": "STARTJOBING"}

_JOB_LIST = {"type": "array", "items": {"type": "object", "required": ["job_id"]}}
START_SCHEMA = {"type": "object", "required": ["jobs"], "properties": {"jobs": dict(_JOB_LIST, items={
    "type": "object", "required": ["job_id"], "properties": {
        "job_id": {"type": "string"}, "start_time": {"type": ["string", "null"], "pattern": "^[0-9]*$"},
        "is_auto_create_compare": {"type": "boolean"}, "is_only_init_task": {"type": "boolean"}}})}}
PAUSE_SCHEMA = {"type": "object", "required": ["jobs"], "properties": {"jobs": dict(_JOB_LIST, items={
    "type": "object", "required": ["job_id", "pause_mode"], "properties": {
        "job_id": {"type": "string"}, "pause_mode": {"type": "string", "enum": ["target", "all"]}}})}}
RETRY_SCHEMA = {"type": "object", "required": ["jobs"], "properties": {"jobs": dict(_JOB_LIST, items={
    "type": "object", "required": ["job_id"], "properties": {
        "job_id": {"type": "string"}, "is_sync_re_edit": {"type": "boolean"}}})}}
PAGE_SCHEMA = {"type": "object", "properties": {"cur_page": {"type": "integer"}, "per_page": {"type": "integer"}}}
QUERY_SCHEMA = {"type": "object", "required": ["jobs"], "properties": {
    "jobs": {"type": "array", "items": {"type": "string"}}, "page_req": PAGE_SCHEMA, "pageReq": PAGE_SCHEMA}}
LIST_SCHEMA = {"type": "object", "properties": {
    "cur_page": {"type": "integer", "minimum": 1}, "per_page": {"type": "integer", "minimum": 0, "maximum": 100},
    "name": {"type": "string"}, "status": {"type": "string"}, "db_use_type": {"type": "string"},
    "engine_type": {"type": "string"}, "net_type": {"type": "string"}}}


def param_error(detail):
    return errors.flat(400, errors.DRS_PARAM[0], "Parameter error: %s" % detail)


def _job_ids(world, body, schema):
    check_body(body, schema, param_error)
    jobs = body["jobs"]
    if not jobs:
        code, message = errors.DRS_EMPTY
        raise errors.flat(400, code, message % "jobs")
    if len(jobs) > world.drs_batch_limit:
        raise param_error("at most %d jobs per call" % world.drs_batch_limit)
    for entry in jobs:
        job_id = entry if isinstance(entry, str) else entry["job_id"]
        if not JOB_ID_RE.match(job_id):
            code, message = errors.DRS_INVALID
            raise errors.flat(400, code, message % "job_id")
    return jobs


def _result(job_id, ok, error=None):
    entry = {"id": job_id, "status": "success" if ok else "failed"}
    if error:
        entry["error_code"], entry["error_msg"] = error
    return entry


def refusal(status, action):
    code = errors.DRS_BUSY[0]
    return code, "%s The job is %s, which does not allow %s." % (errors.DRS_BUSY[1], status, action)


def run_steps(world, task_type, first_delay=0.0):
    """Transitions from STARTJOBING to the steady transferring status.

    A full+incremental job passes through FULL_TRANSFER_COMPLETE, a real stage between the two transfers.
    """
    delay = world.delays["drs"]
    steps = [(first_delay, {"status": "STARTJOBING"})]
    if task_type == "INCR_TRANS":
        steps.append((first_delay + delay, {"status": "INCRE_TRANSFER_STARTED"}))
    else:
        steps.append((first_delay + delay, {"status": "FULL_TRANSFER_STARTED"}))
        steps.append((first_delay + 2 * delay, {"status": "FULL_TRANSFER_COMPLETE"}))
        if task_type != "FULL_TRANS":
            steps.append((first_delay + 3 * delay, {"status": "INCRE_TRANSFER_STARTED"}))
    return steps


def pausable(fields):
    return PAUSABLE.get(fields["status"]) in ("*", fields["task_type"])


def job_action(world, item, fields):
    """The job's action lists as the listing reports them (JobActionResp), from the same rules as the APIs."""
    if fields.get("is_parent"):
        return {"available_actions": ["DELETE"], "unavailable_actions": ["START", "PAUSE", "RETRY"],
                "current_action": None}
    available = []
    if item.busy:
        return {"available_actions": [], "unavailable_actions": ["START", "PAUSE", "RETRY"],
                "current_action": item.fields.get("current_action")}
    if fields["status"] in STARTABLE:
        available.append("START")
    if pausable(fields) or (fields["status"] == "PAUSING" and world.drs_repause == "allow"
                            and fields.get("pause_mode") == "target"):
        available.append("PAUSE")
    if fields["status"] == "PAUSING" or fields["status"] in RETRYABLE:
        available.append("RETRY")
    if fields["status"] in RETRYABLE:
        available.append("RESET")
    return {"available_actions": available,
            "unavailable_actions": [a for a in ("START", "PAUSE", "RETRY") if a not in available],
            "current_action": None}


def act_on_each(world, ctx, jobs, act):
    """(job id, job or None, error or None) per requested job; ``act(item, entry)`` returns an error or None."""
    done = []
    for entry in jobs:
        item = world.drs.get(entry["job_id"])
        if item is None:
            done.append((entry["job_id"], None, errors.DRS_NO_JOB))
            continue
        item.advance(ctx.now)
        forced = ctx.forced_failure(item.id)
        if forced:
            error = forced
        elif item.fields.get("is_parent"):
            # UNCONFIRMED code: the docs only say a dual-active parent task is not allowed.
            error = (errors.DRS_BUSY[0], "%s The job is the parent task of a dual-active DR and cannot be started, "
                                         "paused or resumed; act on its child jobs." % errors.DRS_BUSY[1])
        else:
            error = refusal(item.fields["status"], "this action") if item.busy else act(item, entry)
        done.append((item.id, item, error))
    return done


def _each_job(world, ctx, jobs, act):
    results = [_result(job_id, not error, error) for job_id, dummy, error in act_on_each(world, ctx, jobs, act)]
    return {"count": len(results), "results": results}


def start_job(world, ctx, item, entry):
    """Start now, or at entry['start_time'] (epoch ms): the one start rule of v3 and v5."""
    status = item.fields["status"]
    if status not in STARTABLE:
        return refusal(status, "starting")
    start_ms = entry.get("start_time")
    wait = max(0.0, int(start_ms) / 1000.0 - ctx.now) if start_ms else 0.0
    steps = run_steps(world, item.fields["task_type"], first_delay=wait)
    if wait:
        item.set(ctx.now, status="WAITING_FOR_START", start_time=start_ms)
    item.set(ctx.now, current_action="START")
    item.schedule(ctx.now, steps)
    return None


def pause_job(world, ctx, item, entry):
    """Pause with entry['pause_mode'] (target or all)."""
    status = item.fields["status"]
    if status == "PAUSING":
        # A stricter mode on a paused job: see the scenario switch drs.repause.
        if world.drs_repause == "allow" and item.fields.get("pause_mode") == "target" and \
                entry["pause_mode"] == "all":
            item.set(ctx.now, pause_mode="all")
            return None
        return refusal(status, "pausing")
    if not pausable(item.fields):
        return refusal(status, "pausing")
    item.set(ctx.now, resume_status=status, pause_mode=entry["pause_mode"], current_action="PAUSE")
    item.schedule(ctx.now, [(world.delays["drs"], {"status": "PAUSING"})])
    return None


def retry_job(world, ctx, item, entry):
    """Resume a paused job, or retry a failed transfer or start."""
    status = item.fields["status"]
    delay = world.delays["drs"]
    if status == "PAUSING":
        item.set(ctx.now, current_action="RETRY")
        resume = item.fields.get("resume_status") or "INCRE_TRANSFER_STARTED"
        steps = [(delay, {"status": resume, "pause_mode": None})]
        if resume == "FULL_TRANSFER_COMPLETE" and item.fields["task_type"] == "FULL_INCR_TRANS":
            steps.append((2 * delay, {"status": "INCRE_TRANSFER_STARTED"}))
        item.schedule(ctx.now, steps)
    elif status == "START_JOB_FAILED":
        item.set(ctx.now, current_action="RETRY")
        item.schedule(ctx.now, run_steps(world, item.fields["task_type"], first_delay=delay))
    elif status in RETRYABLE:
        item.set(ctx.now, current_action="RETRY")
        item.schedule(ctx.now, [(delay, {"status": RETRYABLE[status], "error_code": "", "error_message": ""})])
    else:
        return refusal(status, "resuming or retrying")
    return None


def batch_start(world, ctx, body):
    jobs = _job_ids(world, body, START_SCHEMA)
    return 202, _each_job(world, ctx, jobs, lambda item, entry: start_job(world, ctx, item, entry))


def batch_pause(world, ctx, body):
    jobs = _job_ids(world, body, PAUSE_SCHEMA)
    return 200, _each_job(world, ctx, jobs, lambda item, entry: pause_job(world, ctx, item, entry))


def batch_retry(world, ctx, body):
    jobs = _job_ids(world, body, RETRY_SCHEMA)
    return 200, _each_job(world, ctx, jobs, lambda item, entry: retry_job(world, ctx, item, entry))


def _page(body, ids):
    page = body.get("page_req") or body.get("pageReq") or {}
    cur_page, per_page = page.get("cur_page", 1), page.get("per_page", 5)
    if not 0 <= per_page <= MAX_PER_PAGE:
        raise errors.flat(400, *errors.DRS_PAGE_LIMIT)
    if per_page == 0:
        if cur_page not in (0, 1):
            raise errors.flat(400, *errors.DRS_PAGE)
        return ids
    if cur_page < 1:
        raise errors.flat(400, *errors.DRS_PAGE)
    return ids[(cur_page - 1) * per_page: cur_page * per_page]


def _query_ids(body):
    check_body(body, QUERY_SCHEMA, param_error)
    ids = list(dict.fromkeys(body["jobs"]))
    if not ids:
        code, message = errors.DRS_EMPTY
        raise errors.flat(400, code, message % "jobs")
    for job_id in ids:
        if not JOB_ID_RE.match(job_id):
            code, message = errors.DRS_INVALID
            raise errors.flat(400, code, message % "job_id")
    return ids


def batch_status(world, ctx, body):
    ids = _query_ids(body)
    results = []
    for job_id in _page(body, ids):
        item = world.drs.get(job_id)
        if item is None:
            code, message = errors.DRS_NO_JOB
            results.append({"id": job_id, "status": "", "error_code": code, "error_message": message})
            continue
        fields = item.view(ctx.now, ctx.lag)
        results.append({"id": job_id, "status": fields["status"], "error_code": fields["error_code"] or None,
                        "error_message": fields["error_message"] or None})
    return 200, {"count": len(ids), "results": results}


def batch_detail(world, ctx, body):
    ids = _query_ids(body)
    results = []
    for job_id in _page(body, ids):
        item = world.drs.get(job_id)
        if item is None:
            code, message = errors.DRS_NO_JOB
            results.append({"id": job_id, "error_code": code, "error_message": message})
            continue
        f = item.view(ctx.now, ctx.lag)
        results.append({
            "id": f["id"], "parent_id": f["parent_id"], "name": f["name"], "status": f["status"],
            "description": f["description"], "create_time": f["create_time"], "task_type": f["task_type"],
            "source_endpoint": {"db_type": f["engine_type"]}, "target_endpoint": {"db_type": f["engine_type"]},
            "net_type": f["net_type"], "failed_reason": f["error_message"] or None,
            "job_direction": f["job_direction"], "db_use_type": f["db_use_type"],
            "error_code": f["error_code"] or None, "error_message": f["error_message"] or None,
            "update_time": f["create_time"], "node_num": 1, "is_multi_az": False,
        })
    return 200, {"count": len(ids), "results": results}


def list_jobs(world, ctx, body):
    body = body or {}
    check_body(body, LIST_SCHEMA, param_error)
    cur_page, per_page = body.get("cur_page", 1), body.get("per_page", 10)
    names = [n for n in (body.get("name") or "").split(",") if n]
    rows = []
    for item in world.drs.values():
        f = item.view(ctx.now, ctx.lag)
        if f["status"] == "DELETED" or f["parent_id"]:
            continue  # child jobs are listed nested under their parent
        # 'name' is a job name (fuzzy) or up to 100 comma-separated ids.
        if names and not (f["id"] in names or (len(names) == 1 and names[0] in f["name"])):
            continue
        for key in ("status", "db_use_type", "engine_type", "net_type"):
            if body.get(key) and f[key if key != "engine_type" else "engine_type"] != body[key]:
                break
        else:
            rows.append(f)
    rows.sort(key=lambda f: (f["create_time"], f["id"]), reverse=True)
    page = rows if per_page == 0 else rows[(cur_page - 1) * per_page: cur_page * per_page]
    jobs = []
    for f in page:
        row = _job_row(world, world.drs[f["id"]], f)
        row["children"] = [_job_row(world, child, child.view(ctx.now, ctx.lag)) for child in world.drs.values()
                           if child.fields["parent_id"] == f["id"]]
        jobs.append(row)
    return 200, {"total_record": len(rows), "jobs": jobs}


def _job_row(world, item, f):
    """JobInfo / ChildrenJobInfo fields, with job_action."""
    return {"id": f["id"], "name": f["name"], "status": f["status"], "description": f["description"],
            "create_time": f["create_time"], "engine_type": f["engine_type"], "net_type": f["net_type"],
            "db_use_type": f["db_use_type"], "task_type": f["task_type"], "job_direction": f["job_direction"],
            "error_msg": f["error_message"] or None, "billing_tag": False, "node_newFramework": True,
            "job_action": job_action(world, item, f)}
