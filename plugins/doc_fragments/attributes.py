# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # Use hwcloud.taskops.attributes.action or hwcloud.taskops.attributes.info.
    DOCUMENTATION = r"""
options: {}
"""

    ACTION = r"""
options: {}
attributes:
  check_mode:
    support: full
    description: Reads the current state and reports the same plan and C(changed) a real run would, without writing.
  diff_mode:
    support: full
    description: Shows the status of every item that changes (or would change), before and after.
"""

    INFO = r"""
options: {}
attributes:
  check_mode:
    support: full
    description: Read-only; runs the same in check mode.
  diff_mode:
    support: none
    description: Changes nothing, so there is no diff.
"""
