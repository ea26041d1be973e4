# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    DOCUMENTATION = r"""
options:
  plan:
    description:
      - The per-item results of a check-mode run of this module (the same list this module returns), handed
        back so that this run acts on the items as that run read them, without reading them again.
      - Each entry needs at least C(id), C(name) and C(status_before); the decision for each item is made
        again from them, by the same rules. The items are not re-read before acting, so pass a plan only
        right after the check-mode run that made it (the M(hwcloud.taskops.maintenance_record) workflow
        of the C(hwcloud.taskops.maintenance_window) role does this to record the plan before the first write).
      - Cannot be combined with the other ways of selecting items.
    type: list
    elements: dict
"""
