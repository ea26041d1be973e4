# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    DOCUMENTATION = r"""
options:
  wait:
    description:
      - Wait until every item the task acted on has reached the requested state.
      - Waiting polls listing or status pages of what is still pending where the API can filter (ROMA by status
        and type, DRS by job ids), never one item at a time.
      - Without waiting, the C(status_after) of every item acted on is null, and an item whose
        request outcome is unknown (connection reset or timeout after sending) is reported as failed.
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds to wait in all. When it runs out the task fails and lists the items that did
        not settle, with their last status.
    type: int
    default: 600
  poll_interval:
    description:
      - The longest pause between two polls while waiting. The first poll comes 0.25 s after the writes, polls
        stay at most 1 s apart for the first 15 s (most transitions end by then), and the pause then grows by
        half each time up to this.
    type: float
    default: 5
  max_concurrency:
    description:
      - How many batch calls may run at the same time (1 to 16). The default keeps well within the
        gateway's throttling; throttled calls (HTTP 429) are retried after the advertised delay.
    type: int
    default: 4
"""
