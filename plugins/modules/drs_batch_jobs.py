#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: drs_batch_jobs
short_description: Run, pause and resume DRS (Data Replication Service) jobs in batches
version_added: 1.0.0
description:
  - Brings the selected DRS jobs to V(running) or V(paused) with the DRS v3 batch APIs
    (C(batch-starting), C(batch-pause-task), C(batch-retry-task)).
  - Reads the current status first (batch status or job listing, one call per page of 100) and acts only
    on jobs that need it.
  - V(running) starts jobs in C(CONFIGURATION) (optionally at O(start_time)) and resumes C(PAUSING) (paused)
    jobs. Failed jobs (C(FULL_TRANSFER_FAILED), C(INCRE_TRANSFER_FAILED), C(START_JOB_FAILED)) are retried
    only with O(retry_failed=true).
  - V(paused) pauses jobs that are transferring (C(FULL_TRANSFER_STARTED), C(INCRE_TRANSFER_STARTED)) with
    O(pause_mode). Jobs that transfer nothing (C(CONFIGURATION), completed, failed, dead or released ones) are
    left alone.
  - Which status needs which action is one table (C(RULES) in C(module_utils/drs.py)); where the job listing carries
    the job's own action lists (C(job_action)), the service has the last word, so an action it does not offer is a
    per-item failure rather than a refused call. A full+incremental job in C(FULL_TRANSFER_COMPLETE) is paused
    before it starts its incremental stage.
  - O(pause_mode=all) on an already paused job pauses it again where the service offers it; otherwise the job
    fails with C(PAUSE_MODE_UNCONFIRMED), because the service does not report the mode a job was paused with.
  - A dual-active DR parent task is refused per item, naming its child jobs, which can be selected by name or ID.
  - A job whose status makes the requested state impossible (for example C(CREATE_FAILED) or released) is
    reported per item with its status and the reason, and is never counted as a success; the task then fails.
author:
  - hwcloud.taskops contributors (@hwcloud-taskops)
options:
  job_ids:
    description:
      - IDs of the jobs (UUID-shaped, checked before any API call).
    type: list
    elements: str
  job_names:
    description:
      - Exact names of the jobs. Resolved through the job listing.
    type: list
    elements: str
  state:
    description:
      - V(running) or V(paused).
    type: str
    choices: [running, paused]
    required: true
  pause_mode:
    description:
      - With O(state=paused). V(target) stops replaying changes on the target while log capture goes on;
        V(all) stops both log capture and replay.
    type: str
    choices: [target, all]
    default: target
  start_time:
    description:
      - With O(state=running), a scheduled start for jobs in C(CONFIGURATION) instead of starting now, as epoch
        milliseconds or an ISO 8601 time with a UTC offset (for example V(2026-11-23T02:00:00+00:00)). It must
        lie in the future. Such jobs wait in C(WAITING_FOR_START), which counts as settled.
    type: str
  retry_failed:
    description:
      - With O(state=running), retry jobs whose transfer or start failed. Without it those jobs are reported
        as failed items.
    type: bool
    default: false
  max_delay:
    description:
      - Replication health gates, in seconds of incremental delay (C(batch-progress)).
      - With O(state=paused), each job to pause is held until its delay is at most this, so the paused replica is
        consistent; a job still behind after O(delay_timeout) fails with C(REPLICATION_LAGGING) and is not
        paused, unless O(lagging=pause).
      - With O(state=running), after the jobs resumed, were retried or started, the task waits until each one's
        delay is back under this; a job still behind after O(delay_timeout) fails with C(REPLICATION_LAGGING)
        (it stays in RV(changed_ids)).
      - Each job's delay is reported as C(delay_before) or C(delay_after). A job outside its incremental stage
        (a full transfer, a scheduled start) has no delay to wait for. Check mode reads the delays once.
      - Delays are read with the v3 API, also when O(api_version=v5).
    type: float
  delay_timeout:
    description:
      - How many seconds each health gate waits at most (see O(max_delay)).
    type: int
    default: 600
  lagging:
    description:
      - What to do with a job still behind O(max_delay) when the gate before a pause times out. V(fail) leaves it
        running and fails it; V(pause) pauses it anyway and says so in its C(delay_note).
    type: str
    choices: [fail, pause]
    default: fail
  batch_size:
    description:
      - Jobs per batch call, at most 100. No per-call limit is documented; should the service take fewer, the
        call it refuses as a whole is split in halves until it passes, so lowering this only saves those calls.
    type: int
    default: 100
extends_documentation_fragment:
  - hwcloud.taskops.auth
  - hwcloud.taskops.transport
  - hwcloud.taskops.attributes.action
  - hwcloud.taskops.wait
  - hwcloud.taskops.plan
  - hwcloud.taskops.selection.drs
  - hwcloud.taskops.drs_api
  - hwcloud.taskops.exclude
  - hwcloud.taskops.return_items
  - hwcloud.taskops.progress
notes:
  - C(PAUSING) is the status of a paused job (the SDK describes it as paused); resuming uses C(batch-retry-task).
"""

EXAMPLES = r"""
- name: Pause replication of two jobs for a maintenance window
  hwcloud.taskops.drs_batch_jobs:
    job_names:
      - orders-replica
      - billing-replica
    state: paused
    pause_mode: target

- name: Resume them afterwards and wait until they transfer again
  hwcloud.taskops.drs_batch_jobs:
    job_names:
      - orders-replica
      - billing-replica
    state: running

- name: Pause only once each replica is at most 5 s behind (waiting up to 5 minutes for it)
  hwcloud.taskops.drs_batch_jobs:
    job_names:
      - orders-replica
    state: paused
    max_delay: 5
    delay_timeout: 300

- name: Resume, and report done only when replication is back under 5 s
  hwcloud.taskops.drs_batch_jobs:
    job_names:
      - orders-replica
    state: running
    max_delay: 5

- name: Schedule configured jobs to start tomorrow at 02:00 UTC
  hwcloud.taskops.drs_batch_jobs:
    job_ids:
      - 8d0e8e36-a618-490d-8a46-8c61ac9jb502
    state: running
    start_time: "{{ '%Y-%m-%dT02:00:00Z' | ansible.builtin.strftime(now().timestamp() + 86400, utc=true) }}"

- name: Bring everything back, retrying jobs whose transfer failed
  hwcloud.taskops.drs_batch_jobs:
    job_ids: "{{ drs_job_ids }}"
    state: running
    retry_failed: true
    wait_timeout: 1800
"""

RETURN = r"""
jobs:
  description: >-
    One entry per selected job, whatever happened to it (with O(return_items=all), the default; the
    other values list only the changed or failed ones, or none).
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: Job ID.
      type: str
    name:
      description: Job name.
      type: str
    type:
      description: Transfer type, for example V(FULL_INCR_TRANS).
      type: str
    status_before:
      description: DRS status when the job was read, for example V(INCRE_TRANSFER_STARTED).
      type: str
    status_after:
      description: Status last read while waiting (null without O(wait) for jobs acted on).
      type: str
    action:
      description: V(start), V(pause), V(resume), V(retry) or V(none).
      type: str
    result:
      description: >-
        V(changed), V(unchanged), V(failed); in check mode V(would_change), or V(would_fail) when the data
        read already shows the item cannot reach the requested state.
      type: str
    error_code:
      description: >-
        The API's per-item error code; C(JOB_FAILED), C(JOB_STARTING), C(JOB_BUSY), C(JOB_NOT_USABLE) or
        C(JOB_STATUS) when the status rules out the requested state; C(JOB_ACTION) when the service does not offer
        the action now; C(DUAL_ACTIVE_PARENT) for a dual-active DR parent task; C(PAUSE_MODE_UNCONFIRMED) when
        O(pause_mode=all) is asked of a paused job the service will not pause again; or C(WAIT_TIMEOUT).
      type: str
    pause_mode:
      description: >-
        The pause mode this run paused the job with; null otherwise (the service does not report the mode of a
        paused job).
      type: str
    available_actions:
      description: The service's own list of what the job allowed when it was read (null when not reported).
      type: list
      elements: str
    parent_id:
      description: For a dual-active DR child job, the ID of its parent task.
      type: str
    error_message:
      description: What went wrong, with the job's status.
      type: str
    settled_at:
      description: UTC time at which the item was seen in the requested state after acting (null otherwise).
      type: str
      sample: "2026-11-23T02:00:07.120Z"
    request_id:
      description: C(X-Request-Id) of the batch call that acted on the job.
      type: str
changed_ids:
  description: >-
    IDs of the jobs that were (or would be) started, paused, resumed or retried.
    An item whose request the service accepted stays here even if it then failed to settle (it is then in
    RV(failed_ids) too).
  returned: always
  type: list
  elements: str
failed_ids:
  description: IDs of the jobs that could not be brought to the requested state.
  returned: always
  type: list
  elements: str
summary:
  description: Counts of items per result.
  returned: always
  type: dict
api_version:
  description: The DRS API the run used (C(v3) or C(v5)); C(auto) when it made no DRS call.
  returned: always
  type: str
  sample: v3
api_requests:
  description: HTTP requests this task made, retries included.
  returned: always
  type: int
error:
  description: The API error that stopped the task, when one did.
  returned: on failure caused by an API error
  type: dict
"""

from ansible_collections.hwcloud.taskops.plugins.module_utils.drs import (
    API_VERSION_SPEC, FILTERS_SPEC, DrsJobs, check_health_options, check_job_ids, parse_start_time,
)
from ansible_collections.hwcloud.taskops.plugins.module_utils.module import HwCloudModule
from ansible_collections.hwcloud.taskops.plugins.module_utils.runner import (
    ACTION_ARGUMENT_SPEC, require_selection, run_action,
)


def main():
    argument_spec = dict(
        job_ids=dict(type="list", elements="str"),
        job_names=dict(type="list", elements="str"),
        state=dict(type="str", required=True, choices=["running", "paused"]),
        pause_mode=dict(type="str", default="target", choices=["target", "all"]),
        start_time=dict(type="str"),
        retry_failed=dict(type="bool", default=False),
        all_jobs=dict(type="bool", default=False),
        filters=FILTERS_SPEC,
        batch_size=dict(type="int", default=100),
        api_version=API_VERSION_SPEC,
        max_delay=dict(type="float"),
        delay_timeout=dict(type="int", default=600),
        lagging=dict(type="str", default="fail", choices=["fail", "pause"]),
        **ACTION_ARGUMENT_SPEC
    )
    module = HwCloudModule(argument_spec=argument_spec, supports_check_mode=True)
    require_selection(module, "job_ids", "job_names", "all_jobs")
    check_job_ids(module)
    if module.params["start_time"] and module.params["state"] != "running":
        module.fail_json(msg="start_time only applies with state: running")
    check_health_options(module)
    try:
        module.params["start_time_ms"] = parse_start_time(module.params["start_time"])
    except ValueError as exc:
        module.fail_json(msg=str(exc))
    run_action(module, DrsJobs)


if __name__ == "__main__":
    main()
