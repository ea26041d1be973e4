#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: drs_batch_jobs_info
short_description: List DRS (Data Replication Service) jobs and their status
version_added: 1.0.0
description:
  - Returns the selected DRS jobs, or every job narrowed by O(filters).
  - Jobs selected by ID are read from the job listing filtered by those IDs (one call per 100 IDs), child jobs of a
    dual-active DR task with C(batch-detail); otherwise the job listing is read, one call per page of 100. Child
    jobs, which the listing nests under their parent, are returned as jobs of their own. Never changes anything.
author:
  - hwcloud.taskops contributors (@hwcloud-taskops)
options:
  job_ids:
    description:
      - IDs of the jobs to return. An unknown ID fails the task.
    type: list
    elements: str
  job_names:
    description:
      - Exact names of the jobs to return. An unknown name fails the task.
    type: list
    elements: str
extends_documentation_fragment:
  - hwcloud.taskops.auth
  - hwcloud.taskops.transport
  - hwcloud.taskops.attributes.info
  - hwcloud.taskops.selection.drs
  - hwcloud.taskops.drs_api
"""

EXAMPLES = r"""
- name: Jobs that are transferring right now
  hwcloud.taskops.drs_batch_jobs_info:
    filters:
      status:
        - FULL_TRANSFER_STARTED
        - INCRE_TRANSFER_STARTED
  register: transferring

- name: Two jobs by name
  hwcloud.taskops.drs_batch_jobs_info:
    job_names:
      - orders-replica
      - billing-replica
"""

RETURN = r"""
jobs:
  description: The selected jobs.
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
    status:
      description: DRS status, for example V(INCRE_TRANSFER_STARTED) or V(PAUSING) (paused).
      type: str
    type:
      description: Transfer type, for example V(FULL_INCR_TRANS).
      type: str
    db_use_type:
      description: V(migration), V(sync) or V(cloudDataGuard).
      type: str
    engine_type:
      description: Database engine.
      type: str
    create_time:
      description: Creation time as the API reports it.
      type: str
    parent_id:
      description: For a dual-active DR child job, the ID of its parent task.
      type: str
    children:
      description: For a dual-active DR parent task, the names of its child jobs.
      type: list
      elements: str
    available_actions:
      description: >-
        What the service allows for the job now (its C(job_action.available_actions), for example V(PAUSE)), or
        null when the answer did not carry it (jobs read with C(batch-detail)).
      type: list
      elements: str
    error_code:
      description: The job's own error code, for a failed job.
      type: str
    error_message:
      description: The job's own error message, for a failed job.
      type: str
api_version:
  description: The DRS API the run used (C(v3) or C(v5)); C(auto) when it made no DRS call.
  returned: always
  type: str
  sample: v3
api_requests:
  description: HTTP requests this task made, retries included.
  returned: always
  type: int
"""

from ansible_collections.hwcloud.taskops.plugins.module_utils.drs import (
    API_VERSION_SPEC, FILTERS_SPEC, DrsJobs, check_job_ids,
)
from ansible_collections.hwcloud.taskops.plugins.module_utils.module import HwCloudModule
from ansible_collections.hwcloud.taskops.plugins.module_utils.runner import require_selection, run_info


def main():
    module = HwCloudModule(argument_spec=dict(
        job_ids=dict(type="list", elements="str"),
        job_names=dict(type="list", elements="str"),
        all_jobs=dict(type="bool", default=False),
        filters=FILTERS_SPEC,
        api_version=API_VERSION_SPEC,
    ), supports_check_mode=True)
    require_selection(module, "job_ids", "job_names", "all_jobs", optional=True)
    check_job_ids(module)
    run_info(module, DrsJobs)


if __name__ == "__main__":
    main()
