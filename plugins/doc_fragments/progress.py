# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    DOCUMENTATION = r"""
options:
  heartbeat:
    description:
      - While the module waits, the controller prints a line this often (seconds), so a long wait is never
        silent.
      - "With a local connection the line counts the items settled, pending and failed so far, for example
        C(hwcloud.taskops.drs_batch_jobs [localhost]: waiting after 45 s: 20 settled, 5 pending, 0 failed of 25
        acted on)."
      - V(0) turns it off. Not shown in check mode, with O(wait=false), or when the task runs with C(async).
      - Unlike C(async), the module keeps running in the Ansible worker, so stopping the job stops it too.
    type: int
    default: 15
  progress_file:
    description:
      - Where the module writes its wait counts after every poll, replaced atomically (JSON with C(phase),
        C(acted), C(settled), C(pending) and C(failed)).
      - The action plugin sets it to a temporary file for the heartbeat when the connection is local; set it
        yourself to follow a wait from elsewhere.
    type: path
"""
