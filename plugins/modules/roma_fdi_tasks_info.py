#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: roma_fdi_tasks_info
short_description: List ROMA Connect FDI data-integration tasks and their status
version_added: 1.0.0
description:
  - Returns the selected tasks of one ROMA Connect instance, or all of them narrowed by O(filters).
  - Reads one listing page of up to 999 tasks per call. Never changes anything.
author:
  - hwcloud.taskops contributors (@hwcloud-taskops)
options:
  instance_id:
    description:
      - ID of the ROMA Connect instance.
    type: str
    required: true
  task_ids:
    description:
      - IDs of the tasks to return. An unknown ID fails the task.
    type: list
    elements: str
  task_names:
    description:
      - Exact names of the tasks to return. An unknown name fails the task.
    type: list
    elements: str
  all_tasks:
    description:
      - Return every task of the instance, narrowed by O(filters). Cannot be combined with O(task_ids) or
        O(task_names); giving none of them selects everything too.
    type: bool
    default: false
  filters:
    description:
      - Narrow the listing on the server side when selecting everything.
    type: dict
    suboptions:
      task_type:
        description: Only tasks of this type.
        type: str
        choices: [realtime, timing]
      task_tag:
        description: Only tasks with this tag.
        type: str
      status:
        description: Only running or only stopped tasks.
        type: str
        choices: [running, stopped]
      execute_status:
        description: Only tasks whose latest run is in this execution status.
        type: str
        choices: [UNSTARTED, WAITING, RUNNING, SUCCESS, CANCELLED, ERROR]
extends_documentation_fragment:
  - hwcloud.taskops.auth
  - hwcloud.taskops.transport
  - hwcloud.taskops.attributes.info
"""

EXAMPLES = r"""
- name: Running realtime tasks of an instance
  hwcloud.taskops.roma_fdi_tasks_info:
    instance_id: "{{ roma_instance_id }}"
    filters:
      task_type: realtime
      status: running
  register: running_tasks

- name: Their ids, for a later stop
  ansible.builtin.set_fact:
    running_task_ids: "{{ running_tasks.tasks | map(attribute='id') | list }}"
"""

RETURN = r"""
tasks:
  description: The selected tasks.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: Task ID.
      type: str
    name:
      description: Task name.
      type: str
    type:
      description: V(realtime) or V(timing).
      type: str
    instance_id:
      description: The ROMA Connect instance of the task.
      type: str
    status:
      description: V(running) or V(stopped) (whether the task is scheduled to run).
      type: str
    execute_status:
      description: Status of the latest run, for example V(RUNNING), V(SUCCESS) or V(ERROR).
      type: str
    tag:
      description: Task tag.
      type: str
    created_date:
      description: Creation time as the API reports it.
      type: raw
    last_modified_time:
      description: Last change, epoch milliseconds.
      type: int
api_requests:
  description: HTTP requests this task made, retries included.
  returned: always
  type: int
"""

from ansible_collections.hwcloud.taskops.plugins.module_utils.module import HwCloudModule
from ansible_collections.hwcloud.taskops.plugins.module_utils.roma import RomaTasks
from ansible_collections.hwcloud.taskops.plugins.module_utils.runner import require_selection, run_info


def main():
    module = HwCloudModule(argument_spec=dict(
        instance_id=dict(type="str", required=True),
        task_ids=dict(type="list", elements="str"),
        task_names=dict(type="list", elements="str"),
        all_tasks=dict(type="bool", default=False),
        filters=dict(type="dict", options=dict(
            task_type=dict(type="str", choices=["realtime", "timing"]),
            task_tag=dict(type="str"),
            status=dict(type="str", choices=["running", "stopped"]),
            execute_status=dict(type="str", choices=["UNSTARTED", "WAITING", "RUNNING", "SUCCESS", "CANCELLED",
                                                     "ERROR"]),
        )),
    ), supports_check_mode=True)
    require_selection(module, "task_ids", "task_names", "all_tasks", optional=True)
    run_info(module, RomaTasks)


if __name__ == "__main__":
    main()
