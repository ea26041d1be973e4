# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    DOCUMENTATION = r"""
options:
  exclude_ids:
    description:
      - IDs to leave out of the selection, whichever way it was made. An ID that is not selected is ignored.
    type: list
    elements: str
  exclude_names:
    description:
      - Exact names to leave out of the selection, whichever way it was made. A name that is not selected is ignored.
    type: list
    elements: str
"""
