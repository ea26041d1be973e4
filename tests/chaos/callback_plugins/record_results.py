"""Appends every task result, and the play's custom stats (set_stats) at the end, as JSON lines to the file named
by HWC_RESULTS_FILE. Test-only: the fault suite and the multi-region test read it."""
import json
import os

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: record_results
type: aggregate
short_description: one JSON line per task result
description: Test-only. Appends each task result to the file named by env HWC_RESULTS_FILE.
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "record_results"
    CALLBACK_NEEDS_ENABLED = True

    def _record(self, result, status):
        self._write({"task": result._task.get_name(), "status": status, "result": result._result})

    @staticmethod
    def _write(line):
        path = os.environ.get("HWC_RESULTS_FILE")
        if path:
            with open(path, "a") as handle:
                handle.write(json.dumps(line, default=str) + "\n")

    def v2_playbook_on_stats(self, stats):
        self._write({"status": "stats", "custom": stats.custom.get("_run", {})})

    def v2_runner_on_ok(self, result):
        self._record(result, "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, "failed")

    def v2_runner_on_unreachable(self, result):
        self._record(result, "unreachable")
