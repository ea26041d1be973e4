#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: batch_task_info
short_description: List VIAS batch tasks with their derived state
version_added: 1.0.0
description:
  - Returns the selected VIAS batch tasks, or all of them narrowed by O(filters), with the per-state counts
    of their child tasks and the state derived from them (see M(hwcloud.taskops.batch_task_action)).
  - Reads one listing page of up to 200 batches per call. Never changes anything.
author:
  - hwcloud.taskops contributors (@hwcloud-taskops)
options:
  batch_task_ids:
    description:
      - IDs of the batch tasks to return. An unknown ID fails the task.
    type: list
    elements: str
  batch_task_names:
    description:
      - Exact names of the batch tasks to return. An unknown name fails the task.
    type: list
    elements: str
extends_documentation_fragment:
  - hwcloud.taskops.auth
  - hwcloud.taskops.transport
  - hwcloud.taskops.attributes.info
  - hwcloud.taskops.selection.vias
"""

EXAMPLES = r"""
- name: Batches whose children all run
  hwcloud.taskops.batch_task_info:
    filters:
      state:
        - running
  register: running_batches
"""

RETURN = r"""
batch_tasks:
  description: The selected batch tasks.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: Batch task ID.
      type: str
    name:
      description: Batch task name.
      type: str
    state:
      description: Derived state, one of V(running), V(stopped), V(starting), V(stopping), V(mixed),
        V(unavailable) or V(empty).
      type: str
    status_counts:
      description: Child tasks per state (states with no child left out).
      type: dict
      sample: {"running": 4, "frozen": 1}
    num_task:
      description: Number of child tasks.
      type: int
    alg_name:
      description: Algorithm (service) name.
      type: str
    created_at:
      description: Creation time, epoch milliseconds.
      type: int
api_requests:
  description: HTTP requests this task made, retries included.
  returned: always
  type: int
"""

from ansible_collections.hwcloud.taskops.plugins.module_utils.module import HwCloudModule
from ansible_collections.hwcloud.taskops.plugins.module_utils.runner import require_selection, run_info
from ansible_collections.hwcloud.taskops.plugins.module_utils.vias import FILTERS_SPEC, ViasBatches


def main():
    module = HwCloudModule(argument_spec=dict(
        batch_task_ids=dict(type="list", elements="str"),
        batch_task_names=dict(type="list", elements="str"),
        all_batch_tasks=dict(type="bool", default=False),
        filters=FILTERS_SPEC,
    ), supports_check_mode=True)
    require_selection(module, "batch_task_ids", "batch_task_names", "all_batch_tasks", optional=True)
    run_info(module, ViasBatches)


if __name__ == "__main__":
    main()
