#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: batch_task_action
short_description: Start or stop whole VIAS (Video Intelligent Analysis Service) batch tasks
version_added: 0.1.0
description:
  - Starts or stops every child task of the selected VIAS batch tasks with one call per batch.
  - A batch has no status of its own. Its state is derived from the per-state counts of its children
    (C(batch_task_status_info)); the command is sent only when some children are not yet in the requested
    state, unless O(force=true).
  - Children that cannot move (for example C(FROZEN) ones) make the batch a failed item, with the API's
    C(error_list); the counts C(total_count), C(succeed_count) and C(failed_count) are reported per batch.
author:
  - hwcloud.taskops contributors (@hwcloud-taskops)
options:
  batch_task_ids:
    description:
      - IDs of the batch tasks.
    type: list
    elements: str
  batch_task_names:
    description:
      - Exact names of the batch tasks.
    type: list
    elements: str
  state:
    description:
      - V(started) or V(stopped).
    type: str
    choices: [started, stopped]
    required: true
  force:
    description:
      - Send the command even when every child already is in the requested state.
    type: bool
    default: false
extends_documentation_fragment:
  - hwcloud.taskops.auth
  - hwcloud.taskops.transport
  - hwcloud.taskops.attributes.action
  - hwcloud.taskops.wait
notes:
  - "The derived state of a batch is one of: V(running), V(stopped), V(starting), V(stopping), V(mixed),
    V(unavailable) (no child can move) or V(empty). Children that cannot be started or stopped
    (C(create_failed), C(frozen), C(freezing), C(deleting), C(upgrading), C(lack_of_resources)) are left out
    of the derivation."
"""

EXAMPLES = r"""
- name: Stop two camera batches for maintenance
  hwcloud.taskops.batch_task_action:
    batch_task_names:
      - gate-cams
      - yard-cams
    state: stopped

- name: Start them again and wait until every child runs
  hwcloud.taskops.batch_task_action:
    batch_task_names:
      - gate-cams
      - yard-cams
    state: started
    wait_timeout: 300

- name: Re-send start to a batch even if it looks running
  hwcloud.taskops.batch_task_action:
    batch_task_ids:
      - 0d47bbf52962414bb7ae27fb6ea24230
    state: started
    force: true
"""

RETURN = r"""
batch_tasks:
  description: One entry per selected batch task, whatever happened to it.
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
    type:
      description: Algorithm (service) name of the batch.
      type: str
    status_before:
      description: Derived state when the batch was read.
      type: str
      sample: running
    status_after:
      description: Derived state last read while waiting (null without O(wait) for batches acted on).
      type: str
      sample: stopped
    status_counts:
      description: Child tasks per state (states with no child left out), as last read before acting.
      type: dict
      sample: {"running": 3}
    action:
      description: V(start), V(stop) or V(none).
      type: str
    result:
      description: V(changed), V(unchanged), V(failed), or V(would_change) in check mode.
      type: str
    total_count:
      description: Child tasks the command addressed (present when a command was sent).
      type: int
    succeed_count:
      description: Child tasks that accepted the command.
      type: int
    failed_count:
      description: Child tasks that could not follow the command.
      type: int
    error_list:
      description: The service's messages for the children that failed.
      type: list
      elements: str
    error_code:
      description: C(CHILD_TASKS_FAILED), the API's error code, or C(WAIT_TIMEOUT).
      type: str
    error_message:
      description: What went wrong.
      type: str
    request_id:
      description: C(X-Request-Id) of the call that acted on the batch.
      type: str
changed_ids:
  description: >-
    IDs of the batches the command was (or would be) sent to and that followed it.
    An item whose request the service accepted stays here even if it then failed to settle (it is then in
    RV(failed_ids) too).
  returned: always
  type: list
  elements: str
failed_ids:
  description: IDs of the batches that did not fully reach the requested state.
  returned: always
  type: list
  elements: str
summary:
  description: Counts of items per result.
  returned: always
  type: dict
api_requests:
  description: HTTP requests this task made, retries included.
  returned: always
  type: int
error:
  description: The API error that stopped the task, when one did.
  returned: on failure caused by an API error
  type: dict
"""

from ansible_collections.hwcloud.taskops.plugins.module_utils.module import HwCloudModule
from ansible_collections.hwcloud.taskops.plugins.module_utils.runner import (
    WAIT_ARGUMENT_SPEC, require_selection, run_action,
)
from ansible_collections.hwcloud.taskops.plugins.module_utils.vias import ViasBatches


def main():
    argument_spec = dict(
        batch_task_ids=dict(type="list", elements="str"),
        batch_task_names=dict(type="list", elements="str"),
        state=dict(type="str", required=True, choices=["started", "stopped"]),
        force=dict(type="bool", default=False),
        **WAIT_ARGUMENT_SPEC
    )
    module = HwCloudModule(argument_spec=argument_spec, supports_check_mode=True)
    require_selection(module, "batch_task_ids", "batch_task_names")
    run_action(module, ViasBatches)


if __name__ == "__main__":
    main()
