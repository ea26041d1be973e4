# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Controller side of hwcloud.taskops.drs_batch_jobs: a heartbeat while it waits (see plugin_utils/heartbeat.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.hwcloud.taskops.plugins.plugin_utils.heartbeat import WaitingAction


class ActionModule(WaitingAction):
    pass
