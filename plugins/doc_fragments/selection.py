# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # Selecting everything, narrowed by filters: hwcloud.taskops.selection.drs or hwcloud.taskops.selection.vias.
    DOCUMENTATION = r"""
options: {}
"""

    DRS = r"""
options:
  all_jobs:
    description:
      - Select every job of the project (dual-active child jobs included), narrowed by O(filters). Cannot be combined
        with O(job_ids) or O(job_names). Info modules select everything when nothing is given.
    type: bool
    default: false
  filters:
    description:
      - Narrow O(all_jobs=true). A job must match every filter given.
    type: dict
    suboptions:
      status:
        description: Only jobs in one of these statuses, for example V(INCRE_TRANSFER_STARTED).
        type: list
        elements: str
      engine_type:
        description: Only jobs of one of these database engines, for example V(mysql).
        type: list
        elements: str
      job_type:
        description: Only jobs of one of these kinds (the API's C(db_use_type)).
        type: list
        elements: str
        choices: [migration, sync, cloudDataGuard]
"""

    VIAS = r"""
options:
  all_batch_tasks:
    description:
      - Select every batch task of the project, narrowed by O(filters). Cannot be combined with O(batch_task_ids) or
        O(batch_task_names). Info modules select everything when nothing is given.
    type: bool
    default: false
  filters:
    description:
      - Narrow O(all_batch_tasks=true).
    type: dict
    suboptions:
      state:
        description: Only batches in one of these derived states.
        type: list
        elements: str
        choices: [running, stopped, starting, stopping, mixed, unavailable, empty]
"""
