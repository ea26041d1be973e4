# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Progress you can see: while an action module waits, the controller prints a line every ``heartbeat`` seconds.

The action plugins of roma_fdi_tasks, drs_batch_jobs and batch_task_action run their module as Ansible
normally does (in the worker, killed with it: unlike ``async``, nothing keeps acting after the job is
stopped) and show a heartbeat meanwhile. With a local connection the module writes its counts after every
poll to a file the heartbeat reads, so the line says how many items settled and how many are pending.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import tempfile
import threading
import time

from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

display = Display()
DEFAULT_HEARTBEAT = 15


class Heartbeat:
    """A thread that shows ``label``, the time waited and the module's latest counts every ``interval`` s."""

    def __init__(self, label, interval, progress_path=None, remove=True, show=None, clock=time.monotonic):
        self.label = label
        self.interval = interval
        self.progress_path = progress_path
        self.remove = remove
        self.show = show or display.display
        self.clock = clock
        self.started = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="hwcloud-heartbeat")
        self._thread.daemon = True

    def __enter__(self):
        self.started = self.clock()
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        self._thread.join()
        if self.progress_path and self.remove:
            try:
                os.unlink(self.progress_path)
            except OSError:
                pass
        return False

    def _beat(self):
        while not self._stop.wait(self.interval):
            self.show(self.line())

    def line(self):
        elapsed = int(self.clock() - self.started)
        progress = self._progress()
        if progress is None:
            return "%s: still running after %d s" % (self.label, elapsed)
        return "%s: %s after %d s: %d settled, %d pending, %d failed of %d acted on" % (
            self.label, progress.get("phase", "waiting"), elapsed, progress.get("settled", 0),
            progress.get("pending", 0), progress.get("failed", 0), progress.get("acted", 0))

    def _progress(self):
        if not self.progress_path:
            return None
        try:
            with open(self.progress_path) as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            return None  # not written yet, or being replaced: the next beat reads it
        return data if isinstance(data, dict) else None


def heartbeat_interval(args, check_mode):
    """Seconds between heartbeat lines, or None when there is nothing long to show (or the value is bad: the
    module then refuses it with a clear message)."""
    if check_mode or args.get("wait") in (False, "false", "no", "False"):
        return None
    value = args.get("heartbeat", DEFAULT_HEARTBEAT)
    try:
        value = int(value)
    except (TypeError, ValueError):
        return None
    return value if 0 < value <= 3600 else None


class WaitingAction(ActionBase):
    """The action plugin of a module that may wait: runs the module, with a heartbeat while it does."""

    _supports_check_mode = True
    _supports_async = True

    def run(self, tmp=None, task_vars=None):
        result = super(WaitingAction, self).run(tmp, task_vars)
        del tmp
        args = dict(self._task.args)
        interval = None if self._task.async_val else heartbeat_interval(args, self._play_context.check_mode)
        if not interval:
            result.update(self._execute_module(module_args=args, task_vars=task_vars,
                                               wrap_async=self._task.async_val))
            if not self._task.async_val:
                self._remove_tmp_path(self._connection._shell.tmpdir)
            return result
        progress_path, remove = args.get("progress_file"), False
        if self._connection.transport != "local":
            progress_path = None  # written on the managed host, out of the controller's reach
        elif not progress_path:
            handle, progress_path = tempfile.mkstemp(prefix="hwcloud-progress-", suffix=".json")
            os.close(handle)
            os.unlink(progress_path)  # the module creates it at its first count
            args["progress_file"], remove = progress_path, True
        label = "%s [%s]" % (self._task.action, (task_vars or {}).get("inventory_hostname", "?"))
        with Heartbeat(label, interval, progress_path, remove):
            result.update(self._execute_module(module_args=args, task_vars=task_vars))
        self._remove_tmp_path(self._connection._shell.tmpdir)
        return result
