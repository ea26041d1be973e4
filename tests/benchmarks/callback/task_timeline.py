# -*- coding: utf-8 -*-
"""Benchmark-only callback: writes when each task started, for the bookkeeping share of a window."""
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: task_timeline
type: aggregate
short_description: Record each task's start time in the file named by HWC_TIMELINE_FILE
description: Used by tests/benchmarks only.
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "task_timeline"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super(CallbackModule, self).__init__()
        self.events = [{"at": time.time(), "action": "(start)", "name": "(start)"}]

    def v2_playbook_on_task_start(self, task, is_conditional):
        self.events.append({"at": time.time(), "action": task.action, "name": task.get_name()})

    def v2_runner_item_on_ok(self, result):
        # A loop item (one module run) ended: requests after it belong to the next item.
        self.events.append({"at": time.time(), "action": "(item)", "name": result._task.action})

    v2_runner_item_on_failed = v2_runner_item_on_ok

    def v2_playbook_on_stats(self, stats):
        self.events.append({"at": time.time(), "action": "(end)", "name": "(end)"})
        with open(os.environ["HWC_TIMELINE_FILE"], "w") as handle:
            json.dump(self.events, handle)
