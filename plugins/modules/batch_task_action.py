#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: batch_task_action
short_description: Start or stop whole VIAS (Video Intelligent Analysis Service) batch tasks
version_added: 1.0.0
description:
  - Starts or stops every child task of the selected VIAS batch tasks with one call per batch.
  - A batch has no status of its own. Its state is derived from the per-state counts of its children
    (C(batch_task_status_info)); the command is sent only when some children are not yet in the requested
    state, unless O(force=true).
  - Children that cannot move (for example C(FROZEN) ones) make the batch a failed item, with the API's
    C(error_list); the counts C(total_count), C(succeed_count) and C(failed_count) are reported per batch.
  - With O(children=true) or O(child_task_ids), each selected batch's child tasks are listed (one call per
    batch) and decided one by one, and reported under RV(batch_tasks[].children). A batch is still acted on
    with one batch call when that call would move exactly the children wanted and meets none that cannot
    move; otherwise each child that needs it gets the per-task call
    (C(PUT /v2/{project_id}/tasks/{task_id}/action/{command})), so the other children stay as they are.
    A child that cannot be controlled (C(FROZEN), C(FREEZING), C(UPGRADING), C(LACK_OF_RESOURCES) when
    stopping) fails its batch, and the batch's other children are still acted on.
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
      - Send the command even when every child already is in the requested state. Ignored with O(children)
        or O(child_task_ids).
    type: bool
    default: false
  children:
    description:
      - Read and decide each child task of the selected batches, as described above.
    type: bool
    default: false
  child_task_ids:
    description:
      - Act only on these child tasks of the selected batches (implies O(children=true)); the other children
        are left as they are. An ID that is not a child of a selected batch fails the task before any write.
    type: list
    elements: str
extends_documentation_fragment:
  - hwcloud.taskops.auth
  - hwcloud.taskops.transport
  - hwcloud.taskops.attributes.action
  - hwcloud.taskops.wait
  - hwcloud.taskops.plan
  - hwcloud.taskops.selection.vias
  - hwcloud.taskops.exclude
  - hwcloud.taskops.return_items
  - hwcloud.taskops.progress
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

- name: Start again only the cameras that ran before, leaving the others stopped
  hwcloud.taskops.batch_task_action:
    batch_task_names:
      - gate-cams
    child_task_ids:
      - 0c0000000000000000000000000000a1
      - 0c0000000000000000000000000000a2
    state: started

- name: Plan a stop child by child, then act on exactly that plan
  hwcloud.taskops.batch_task_action:
    batch_task_names:
      - gate-cams
    children: true
    state: stopped
  check_mode: true
  register: vias_plan

- name: Stop what the plan found running
  hwcloud.taskops.batch_task_action:
    plan: "{{ vias_plan.batch_tasks }}"
    children: true
    state: stopped

- name: Re-send start to a batch even if it looks running
  hwcloud.taskops.batch_task_action:
    batch_task_ids:
      - 0d47bbf52962414bb7ae27fb6ea24230
    state: started
    force: true
"""

RETURN = r"""
batch_tasks:
  description: >-
    One entry per selected batch task, whatever happened to it (with O(return_items=all), the default; the
    other values list only the changed or failed ones, or none).
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
      description: >-
        V(changed), V(unchanged), V(failed); in check mode V(would_change), or V(would_fail) when the data
        read already shows the item cannot reach the requested state.
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
      description: The service's messages for the children that failed (with a batch call).
      type: list
      elements: str
    children:
      description: With O(children) or O(child_task_ids), one entry per child task of the batch.
      type: list
      elements: dict
      contains:
        id:
          description: Child task ID.
          type: str
        name:
          description: Child task name.
          type: str
        state_before:
          description: State (lower case) when it was read.
          type: str
        state_after:
          description: State last read while waiting.
          type: str
        action:
          description: V(start), V(stop) or V(none).
          type: str
        result:
          description: >-
            V(unchanged), V(changed), V(failed), V(sent) (accepted, not yet seen settled), V(unknown), or in
            check mode V(would_change) or V(would_fail).
          type: str
        error_code:
          description: Why it failed, for example C(CHILD_NOT_CONTROLLABLE).
          type: str
        error_message:
          description: What went wrong.
          type: str
        request_id:
          description: C(X-Request-Id) of the call that acted on it.
          type: str
    error_code:
      description: C(CHILD_TASKS_FAILED), the API's error code, or C(WAIT_TIMEOUT).
      type: str
    error_message:
      description: What went wrong.
      type: str
    settled_at:
      description: UTC time at which the item was seen in the requested state after acting (null otherwise).
      type: str
      sample: "2026-11-23T02:00:07.120Z"
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
    ACTION_ARGUMENT_SPEC, require_selection, run_action,
)
from ansible_collections.hwcloud.taskops.plugins.module_utils.vias import FILTERS_SPEC, ViasBatches


def main():
    argument_spec = dict(
        batch_task_ids=dict(type="list", elements="str"),
        batch_task_names=dict(type="list", elements="str"),
        state=dict(type="str", required=True, choices=["started", "stopped"]),
        force=dict(type="bool", default=False),
        children=dict(type="bool", default=False),
        all_batch_tasks=dict(type="bool", default=False),
        filters=FILTERS_SPEC,
        child_task_ids=dict(type="list", elements="str"),
        **ACTION_ARGUMENT_SPEC
    )
    module = HwCloudModule(argument_spec=argument_spec, supports_check_mode=True)
    require_selection(module, "batch_task_ids", "batch_task_names", "all_batch_tasks")
    run_action(module, ViasBatches)


if __name__ == "__main__":
    main()
