# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    DOCUMENTATION = r"""
options:
  return_items:
    description:
      - Which items the result lists one by one. A selection of thousands of items makes a result of megabytes
        that Ansible carries back through the controller; V(changed) or V(failed) keep it to what matters, and
        V(none) to the counts.
      - V(changed) lists the items that were (or in check mode would be) written, V(failed) those that failed
        (or would fail). C(changed_ids), C(failed_ids), C(summary) and C(changed) always cover every item.
    type: str
    choices: [all, changed, failed, none]
    default: all
"""
