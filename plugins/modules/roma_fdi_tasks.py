#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: roma_fdi_tasks
short_description: Start or stop ROMA Connect FDI data-integration tasks in batches
version_added: 1.0.0
description:
  - Starts or stops the selected data-integration (FDI) tasks of one ROMA Connect instance.
  - Reads the current status first (one listing call per page of 999 tasks) and acts only on tasks that are
    not already in the requested state, in batch calls of at most 10 tasks.
  - A batch the API rejects as a whole, for example HTTP 404 C(FDI.3083) because one C(timing) task has no
    dispatch plan, is split until the offending tasks are isolated, so one bad task does not block the others.
    Those tasks are reported per item with the API's error code and what to fix.
  - Fails when any selected task could not be brought to the requested state, still returning every item.
author:
  - hwcloud.taskops contributors (@hwcloud-taskops)
options:
  instance_id:
    description:
      - ID of the ROMA Connect instance that owns the tasks.
    type: str
    required: true
  task_ids:
    description:
      - IDs of the tasks to act on. An ID that does not exist fails the task before anything is changed.
    type: list
    elements: str
  task_names:
    description:
      - Exact names of the tasks to act on. A name that matches no task fails the task before anything is
        changed.
    type: list
    elements: str
  all_tasks:
    description:
      - Act on every task of the instance, narrowed by O(filters). Cannot be combined with O(task_ids) or
        O(task_names).
    type: bool
    default: false
  filters:
    description:
      - Narrow O(all_tasks=true) on the server side.
    type: dict
    suboptions:
      task_type:
        description: Only tasks of this type.
        type: str
        choices: [realtime, timing]
      task_tag:
        description: Only tasks with this tag.
        type: str
  state:
    description:
      - V(started) starts tasks that are stopped; V(stopped) stops tasks that are running.
    type: str
    choices: [started, stopped]
    required: true
  batch_size:
    description:
      - Tasks per batch call. The API accepts at most 10; larger values are capped at 10.
    type: int
    default: 10
extends_documentation_fragment:
  - hwcloud.taskops.auth
  - hwcloud.taskops.transport
  - hwcloud.taskops.attributes.action
  - hwcloud.taskops.wait
  - hwcloud.taskops.plan
  - hwcloud.taskops.exclude
  - hwcloud.taskops.return_items
  - hwcloud.taskops.progress
notes:
  - Starting a C(timing) task needs a dispatch (scheduled) plan on that task; create it in ROMA Connect first.
  - Tasks are matched by exact name on the client side, so any number of names costs the same listing calls.
"""

EXAMPLES = r"""
- name: Stop two tasks by name and wait until they are stopped
  hwcloud.taskops.roma_fdi_tasks:
    instance_id: "{{ roma_instance_id }}"
    task_names:
      - orders-sync
      - billing-etl
    state: stopped

- name: Start every realtime task of the instance, using credentials from the environment
  hwcloud.taskops.roma_fdi_tasks:
    instance_id: "{{ roma_instance_id }}"
    all_tasks: true
    filters:
      task_type: realtime
    state: started
    wait_timeout: 900

- name: Preview what would be stopped (no write is sent)
  hwcloud.taskops.roma_fdi_tasks:
    instance_id: "{{ roma_instance_id }}"
    task_ids: "{{ task_ids_to_stop }}"
    state: stopped
  check_mode: true
  diff: true
  register: preview

- name: Share credentials and endpoints with every module of the collection
  module_defaults:
    group/hwcloud.taskops.hwcloud:
      region: cn-north-4
      access_key: "{{ vault_hw_access_key }}"
      secret_key: "{{ vault_hw_secret_key }}"
  block:
    - name: Stop tasks tagged nightly
      hwcloud.taskops.roma_fdi_tasks:
        instance_id: "{{ roma_instance_id }}"
        all_tasks: true
        filters:
          task_tag: nightly
        state: stopped
"""

RETURN = r"""
tasks:
  description: >-
    One entry per selected task, in listing order, whatever happened to it (with O(return_items=all), the default; the
    other values list only the changed or failed ones, or none).
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: Task ID.
      type: str
      sample: 6b7e3f2a9c1d4e5f8a0b1c2d3e4f5a6b
    name:
      description: Task name.
      type: str
      sample: orders-sync
    type:
      description: Task type, V(realtime) or V(timing).
      type: str
      sample: realtime
    instance_id:
      description: The ROMA Connect instance of the task.
      type: str
    status_before:
      description: Status when the task was read, V(running) or V(stopped).
      type: str
      sample: running
    status_after:
      description:
        - Status after the run. For tasks acted on it is the status last read while waiting, and null without
          O(wait).
      type: str
      sample: stopped
    action:
      description: V(start), V(stop) or V(none).
      type: str
      sample: stop
    result:
      description: >-
        V(changed), V(unchanged), V(failed); in check mode V(would_change), or V(would_fail) when the data
        read already shows the item cannot reach the requested state.
      type: str
      sample: changed
    error_code:
      description: The API's error code (or C(WAIT_TIMEOUT)) when the result is V(failed).
      type: str
      sample: FDI.3083
    error_message:
      description: What went wrong, and what to fix where known.
      type: str
    settled_at:
      description: UTC time at which the item was seen in the requested state after acting (null otherwise).
      type: str
      sample: "2026-11-23T02:00:07.120Z"
    request_id:
      description: C(X-Request-Id) of the batch call that acted on the task.
      type: str
changed_ids:
  description: >-
    IDs of the tasks that were (or, in check mode, would be) started or stopped.
    An item whose request the service accepted stays here even if it then failed to settle (it is then in
    RV(failed_ids) too).
  returned: always
  type: list
  elements: str
failed_ids:
  description: IDs of the tasks that could not be brought to the requested state.
  returned: always
  type: list
  elements: str
summary:
  description: Counts of items per result.
  returned: always
  type: dict
  sample: {"total": 12, "changed": 9, "unchanged": 3, "failed": 0, "would_change": 0, "would_fail": 0}
api_requests:
  description: HTTP requests this task made, retries included.
  returned: always
  type: int
  sample: 3
error:
  description: The API error that stopped the task, when one did.
  returned: on failure caused by an API error
  type: dict
"""

from ansible_collections.hwcloud.taskops.plugins.module_utils.module import HwCloudModule
from ansible_collections.hwcloud.taskops.plugins.module_utils.roma import RomaTasks
from ansible_collections.hwcloud.taskops.plugins.module_utils.runner import (
    ACTION_ARGUMENT_SPEC, require_selection, run_action,
)


def main():
    argument_spec = dict(
        instance_id=dict(type="str", required=True),
        task_ids=dict(type="list", elements="str"),
        task_names=dict(type="list", elements="str"),
        all_tasks=dict(type="bool", default=False),
        filters=dict(type="dict", options=dict(
            task_type=dict(type="str", choices=["realtime", "timing"]),
            task_tag=dict(type="str"),
        )),
        state=dict(type="str", required=True, choices=["started", "stopped"]),
        batch_size=dict(type="int", default=10),
        **ACTION_ARGUMENT_SPEC
    )
    module = HwCloudModule(argument_spec=argument_spec, supports_check_mode=True)
    require_selection(module, "task_ids", "task_names", "all_tasks")
    run_action(module, RomaTasks)


if __name__ == "__main__":
    main()
