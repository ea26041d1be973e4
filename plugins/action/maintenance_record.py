# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Controller side of hwcloud.taskops.maintenance_record: the one owner of a window's record.

Each ``op`` is one step of the maintenance_window role; see the module documentation. The record's
rules live in plugin_utils (window_record, window_schema, window_store, window_report); this file
only checks arguments, loads and saves, and shapes the task result.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import math
import os
import re
import time
from datetime import datetime, timezone

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase

from ansible_collections.hwcloud.taskops.plugins.module_utils.module import AUTH_ARGUMENT_SPEC
from ansible_collections.hwcloud.taskops.plugins.module_utils.runner import WAIT_ARGUMENT_SPEC
from ansible_collections.hwcloud.taskops.plugins.plugin_utils import window_record as wr
from ansible_collections.hwcloud.taskops.plugins.plugin_utils import window_report
from ansible_collections.hwcloud.taskops.plugins.plugin_utils.window_deadline import (
    DeadlineError, deadline_from, format_utc, parse_utc,
)
from ansible_collections.hwcloud.taskops.plugins.plugin_utils.window_schema import load_record
from ansible_collections.hwcloud.taskops.plugins.plugin_utils.window_store import (
    StoreError, WindowLock, read_json, run_owner, write_json, write_text,
)

WINDOW_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
DEFAULT_LEASE = 3600
DEFAULT_STATE_DIR = "~/.ansible/hwcloud-maintenance"
ARGUMENT_SPEC = dict(
    op=dict(type="str", required=True, choices=["open", "commit", "step", "close", "release", "windows"]),
    phase=dict(type="str", choices=["enter", "exit"]),
    window_id=dict(type="str", default=""),
    state_dir=dict(type="path"),
    state_file=dict(type="str", default=""),
    report_dir=dict(type="str", default=""),
    window=dict(type="dict"),
    record=dict(type="dict", default={}),
    records=dict(type="dict", default={}),
    max_duration=dict(type="raw"),
    policy=dict(type="str", default="fail", choices=list(wr.POLICIES)),
    order=dict(type="list", elements="str", default=list(wr.DEFAULT_ORDER)),
    roma=dict(type="list", elements="dict", default=[]),
    drs=dict(type="dict", default={}),
    vias=dict(type="dict", default={}),
    plans=dict(type="dict", default={}),
    service=dict(type="str", choices=sorted(wr.SERVICES)),
    result=dict(type="dict", default={}),
    break_lock=dict(type="bool", default=False),
    keep_lock=dict(type="bool", default=False),
    lock_lease=dict(type="float", default=DEFAULT_LEASE),
)


GROUP_OPTIONS = frozenset(AUTH_ARGUMENT_SPEC) | frozenset(WAIT_ARGUMENT_SPEC)


class Failure(Exception):
    pass


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        result["changed"] = False
        # In the action group, so group module_defaults may hand it the cloud options: they do not apply here.
        args = dict((k, v) for k, v in self._task.args.items() if k not in GROUP_OPTIONS)
        validation = ArgumentSpecValidator(ARGUMENT_SPEC).validate(args)
        if validation.error_messages:
            return dict(result, failed=True, msg="maintenance_record: %s" % "; ".join(validation.error_messages))
        self.args = validation.validated_parameters
        self.task_vars = task_vars or {}
        self.check_mode = bool(self._task.check_mode)
        self.host = str(self.task_vars.get("inventory_hostname") or "localhost")
        try:
            self._check_args()
            result.update(getattr(self, "_op_" + self.args["op"])())
        except (Failure, wr.WindowError, StoreError, DeadlineError) as exc:
            result.update(failed=True, msg=str(exc))
        return result

    # ---- arguments -----------------------------------------------------------------------------
    def _check_args(self):
        lease = self.args["lock_lease"]
        if math.isnan(lease) or math.isinf(lease) or lease <= 0:
            raise Failure("lock_lease must be a positive number of seconds, got %s" % lease)
        unknown = [s for s in self.args["order"] if s not in wr.SERVICES]
        if unknown or len(set(self.args["order"])) != len(self.args["order"]):
            services = ", ".join(sorted(wr.SERVICES))
            raise Failure("order must list each of %s at most once, got %s" % (services, self.args["order"]))
        if self.args["op"] in ("commit", "step", "close", "release") and not self.args["window"]:
            raise Failure("op %s needs window: the window returned by op open" % self.args["op"])
        if self.args["op"] in ("open", "close") and not self.args["phase"]:
            raise Failure("op %s needs phase: enter or exit" % self.args["op"])

    @staticmethod
    def _window_id(value, what):
        if not WINDOW_ID.match(value or ""):
            raise Failure("%s %r is not usable as a window id: use 1 to 128 ASCII letters, digits, '.', '_' or '-', "
                          "starting with a letter or digit (it names files)" % (what, value))
        return value

    def _state_dir(self):
        return os.path.abspath(os.path.expanduser(self.args["state_dir"] or DEFAULT_STATE_DIR))

    def _host_dir(self):
        """Each inventory host (a region or project) keeps its records apart: its name is part of the path."""
        return os.path.join(self._state_dir(), re.sub(r"[^A-Za-z0-9._-]", "_", self.host).lstrip(".") or "_")

    def _window(self, window_id, state_file=""):
        if not state_file:
            state_file = os.path.join(self._host_dir(), window_id + ".json")
            # Records written before per-host paths sit directly in the state directory.
            legacy = os.path.join(self._state_dir(), window_id + ".json")
            if self.args["phase"] == "exit" and not os.path.exists(state_file) and os.path.exists(legacy):
                state_file = legacy
        state_file = os.path.abspath(os.path.expanduser(state_file))
        report_dir = self.args["report_dir"] or os.path.join(os.path.dirname(state_file), "reports")
        report_dir = os.path.abspath(os.path.expanduser(report_dir))
        return {"id": window_id, "state_file": state_file, "report_dir": report_dir, "host": self.host}

    def _lock(self, window):
        return WindowLock(window["state_file"], run_owner(self.host), self.args["lock_lease"])

    # ---- storage -------------------------------------------------------------------------------
    def _load(self, window):
        data = read_json(window["state_file"])
        if data is None:
            raise Failure("no maintenance record at %s" % window["state_file"])
        record = load_record(data, window["state_file"])
        if record["window_id"] != window["id"]:
            raise Failure("%s holds the record of window %s, not %s; nothing was changed"
                          % (window["state_file"], record["window_id"], window["id"]))
        return record

    def _save(self, window, record):
        if self.check_mode:
            return
        self._lock(window).confirm(window["id"])
        record["revision"] = int(record.get("revision") or 0) + 1
        record["updated_at"] = wr.utc_now()
        write_json(window["state_file"], record)

    def _reports(self, window, record, phase):
        if self.check_mode:
            return {}
        now = wr.utc_now()
        base = os.path.join(window["report_dir"], record["window_id"])
        paths = {"record": window["state_file"], "json": "%s-%s.json" % (base, phase),
                 "markdown": "%s-%s.md" % (base, phase), "html": "%s.html" % base}
        write_json(paths["json"], window_report.json_report(record, phase, now, paths))
        write_text(paths["markdown"], window_report.markdown(record, phase, now, paths))
        write_text(paths["html"], window_report.html(record, now, paths))
        return paths

    # ---- ops -----------------------------------------------------------------------------------
    def _op_open(self):
        if self.args["phase"] == "enter":
            return self._open_enter()
        return self._open_exit()

    def _open_enter(self):
        window_id = self._window_id(self.args["window_id"] or "maintenance-%s" % time.strftime("%Y%m%d", time.gmtime()),
                                    "maintenance_window_id")
        window = self._window(window_id, self.args["state_file"])
        deadline = deadline_from(self.args["max_duration"], datetime.now(timezone.utc))
        window["deadline"] = format_utc(deadline) if deadline else None
        steps = wr.planning_steps(self.args["order"], self.args["roma"], self.args["drs"], self.args["vias"])
        if not steps:
            raise Failure("nothing selected: set maintenance_window_roma, maintenance_window_drs or "
                          "maintenance_window_vias (and keep their services in maintenance_window_order)")
        note = None if self.check_mode else self._lock(window).acquire(window_id, self.args["break_lock"])
        try:
            existing = read_json(window["state_file"])
            if existing is not None:
                previous = load_record(existing, window["state_file"])
                if previous["status"] not in wr.DONE:
                    raise Failure(
                        "an unfinished maintenance record (window %s, status %s) exists at %s. It lists what an "
                        "earlier run may have stopped. Bring it back first: ansible-playbook "
                        "hwcloud.taskops.maintenance_exit -e maintenance_window_state_file=%s"
                        % (previous["window_id"], previous["status"], window["state_file"], window["state_file"]))
        except (Failure, wr.WindowError, StoreError):
            if not self.check_mode:
                self._lock(window).release()
            raise
        result = {"window": window, "steps": steps}
        if note:
            result["warnings"] = [note]
        return result

    def _handed_over(self):
        """This host's record from set_stats: maintenance_window_records is keyed by host; a single record
        (maintenance_window_record) handed to a host it does not belong to is not used."""
        keyed = self.args["records"].get(self.host)
        if keyed:
            return keyed, None
        single = self.args["record"] or None
        if single and single.get("host") not in (None, self.host):
            return None, ("the handed-over record (maintenance_window_record) belongs to host %s, not %s: not used"
                          % (single.get("host"), self.host))
        return single, None

    def _open_exit(self):
        handed, ignored = self._handed_over()
        window_id = self.args["window_id"]
        if handed is not None and not isinstance(handed.get("window_id"), str):
            raise Failure("the handed-over record (maintenance_window_record) has no window_id; it is not a "
                          "maintenance record")
        if window_id:
            self._window_id(window_id, "maintenance_window_id")
            if handed is not None and handed["window_id"] != window_id:
                raise Failure("the handed-over record belongs to window %s, not to window %s being exited; nothing "
                              "was changed. Hand over the record of %s, or exit %s instead."
                              % (handed["window_id"], window_id, window_id, handed["window_id"]))
        elif handed is not None:
            window_id = handed["window_id"]
        elif self.args["state_file"]:
            data = read_json(os.path.expanduser(self.args["state_file"]))
            if data is None:
                raise Failure("no maintenance record at %s: there is nothing to bring back" % self.args["state_file"])
            window_id = load_record(data, self.args["state_file"])["window_id"]
        else:
            window_id = "maintenance-%s" % time.strftime("%Y%m%d", time.gmtime())
        window = self._window(self._window_id(window_id, "the window id"), self.args["state_file"])
        if handed is not None and handed.get("check_mode"):
            return self._exit_preview(window, handed)
        note = None if self.check_mode else self._lock(window).acquire(window_id, self.args["break_lock"])
        try:
            record = self._exit_record(window, handed)
        except (Failure, wr.WindowError, StoreError) as exc:
            if not self.check_mode:
                self._lock(window).release()
            raise Failure("%s%s" % (exc, " (%s)" % note if note else ""))
        result = {"window": window, "warnings": [w for w in (note, ignored) if w]}
        if record["status"] in wr.DONE:
            if not self.check_mode and not self.args["keep_lock"]:
                self._lock(window).release()
            return dict(result, steps={}, done=True, msg="window %s was already closed (%s at %s); nothing to do"
                        % (window_id, record["status"], record.get("finished_at") or record.get("updated_at")))
        record["status"] = "exiting"
        record["exit_started_at"] = wr.utc_now()
        wr.event(record, record["exit_started_at"], "exit started")
        self._save(window, record)
        result["warnings"].extend("%s: %s; its objects are not brought back by this run" % (s, d["problem"])
                                  for s, d in sorted(record.get("damaged", {}).items()))
        steps = wr.restore_steps(record)
        # Services whose enter step never finished may have writes still landing (sent just before the run died,
        # or hidden by stale reads): exit brings them back a second time after a delay.
        interrupted = dict((s, v) for s, v in steps.items()
                           if not record["services"][s].get("done_at", {}).get("enter"))
        return dict(result, steps=steps, recheck=interrupted, done=False,
                    msg="bringing back %d objects of window %s" % (wr.count_objects(record, "act"), window_id))

    def _exit_record(self, window, handed):
        """The newer of the state file and the handed-over record, checked to belong to this window."""
        stored = None
        if os.path.exists(window["state_file"]):
            stored = self._load(window)
        if handed is not None:
            given = load_record(dict(handed), "the handed-over record (maintenance_window_record)")
            if stored is None or int(given.get("revision") or 0) > int(stored.get("revision") or 0):
                return given
        if stored is None:
            raise Failure("no maintenance record at %s and none handed over (maintenance_window_record): there is "
                          "nothing to bring back. Set maintenance_window_id or maintenance_window_state_file to the "
                          "window that enter recorded." % window["state_file"])
        return stored

    def _exit_preview(self, window, record):
        count = wr.count_objects(record, "act")
        return {"window": window, "steps": {}, "done": True,
                "msg": "check mode: exit would bring back the %d objects that enter would quiesce" % count}

    def _op_commit(self):
        window = self.args["window"]
        now = wr.utc_now()
        record = wr.new_record(window["id"], self.host, self.args["policy"], self.args["order"], now)
        record["deadline"] = window.get("deadline")
        settings = {"drs": {"pause_mode": self.args["drs"].get("pause_mode") or "target"}}
        expected = wr.planning_steps(self.args["order"], self.args["roma"], self.args["drs"], self.args["vias"])
        for service, steps in expected.items():
            answers = (self.args["plans"].get(service) or {}).get("results")
            if not isinstance(answers, list) or len(answers) != len(steps):
                raise Failure("the %s plan is missing: pass the registered check-mode results of every service "
                              "with targets" % service)
        blocked = wr.commit_plan(record, dict((s, self.args["plans"][s]) for s in expected), settings, now)
        preview = wr.preview_lines(record)
        result = {"window": window, "changed": wr.count_objects(record, "act") > 0,
                  "msg": "; ".join(wr.summary_lines(record))}
        if self._task.diff if self._task.diff is not None else self._play_context.diff:
            result["diff"] = {"prepared": "\n".join(preview)}
        if blocked:
            record["status"] = "aborted"
            wr.event(record, now, "refused: %d objects cannot be quiesced" % len(blocked))
            self._save(window, record)
            result["reports"] = self._reports(window, record, "enter")
            return dict(result, failed=True, changed=False, msg=(
                "%d objects cannot be quiesced, so the window was refused before any change (policy fail): %s. "
                "Fix them, or set maintenance_window_unquiescable: skip to leave them as they are and go on."
                % (len(blocked), "; ".join(blocked[:10]) + (" ..." if len(blocked) > 10 else ""))))
        if self.check_mode:
            record["check_mode"] = True
            return dict(result, record=record, steps={})
        self._save(window, record)
        return dict(result, steps=wr.act_steps(record))

    def _op_step(self):
        window = self.args["window"]
        if self.check_mode:
            return {}
        record = self._load(window)
        phase = "exit" if record["status"] in ("exiting", "exit_failed") else "enter"
        problems = wr.apply_step(record, phase, self.args["service"], self.args["result"], wr.utc_now())
        if problems and phase == "enter":
            record["status"] = "enter_failed"
        self._save(window, record)
        if problems and phase == "enter":
            return {"failed": True, "msg": "%s step failed: %s. The record at %s lists everything that may have "
                                           "changed; exit brings it back." % (
                                               self.args["service"].upper(), " | ".join(problems),
                                               window["state_file"])}
        return {"problems": problems}

    def _op_close(self):
        window = self.args["window"]
        if self.check_mode:
            return {"msg": "check mode: nothing was written", "summary": {}}
        record = self._load(window)
        now = wr.utc_now()
        problems = []
        if self.args["phase"] == "enter":
            if record["status"] == "entering":
                record.update(status="entered", entered_at=now)
                wr.event(record, now, "entered")
        else:
            problems = wr.still_stopped(record)
            record.update(status="exit_failed" if problems else "finished", finished_at=None if problems else now)
            wr.event(record, now, "exit failed: %d objects not back" % len(problems) if problems else "finished")
        self._save(window, record)
        paths = self._reports(window, record, self.args["phase"])
        if not self.args["keep_lock"]:
            self._lock(window).release()
        summary = window_report.summary(record)
        published = {"window_id": window["id"], "host": self.host, "phase": self.args["phase"],
                     "deadline": record.get("deadline"),
                     "status": record["status"], "state_file": window["state_file"], "report": paths["html"],
                     "reports": paths, "summary": summary}
        result = {"record": record, "summary": summary, "reports": paths, "published": published,
                  "msg": "window %s %s: %s%s; report %s" % (
                      window["id"], self.args["phase"], record["status"],
                      ", deadline %s" % record["deadline"] if record.get("deadline") and record["status"] not in wr.DONE
                      else "", paths["html"])}
        if problems:
            listed = "; ".join(problems[:20]) + (" ..." if len(problems) > 20 else "")
            result.update(failed=True, msg="Could not bring back: %s. The record stays at %s (status exit_failed); "
                                           "fix the cause and run exit again." % (listed, window["state_file"]))
        return result

    def _op_windows(self):
        """Every record of this host, with its status and deadline; ``overdue`` when unfinished and past it."""
        now = datetime.now(timezone.utc)
        paths = sorted(glob.glob(os.path.join(self._host_dir(), "*.json")))
        paths += sorted(glob.glob(os.path.join(self._state_dir(), "*.json")))  # records from before per-host paths
        windows = []
        for path in paths:
            try:
                record = load_record(read_json(path) or {}, path)
            except (wr.WindowError, StoreError, ValueError) as exc:
                windows.append({"state_file": path, "window_id": None, "status": "unreadable", "deadline": None,
                                "overdue": False, "problem": str(exc)})
                continue
            if record.get("host") not in (None, self.host):
                continue
            deadline = parse_utc(record.get("deadline"))
            windows.append({"state_file": path, "window_id": record["window_id"], "status": record["status"],
                            "deadline": record.get("deadline"), "finished": record["status"] in wr.DONE,
                            "overdue": bool(deadline and deadline <= now and record["status"] not in wr.DONE),
                            "host": self.host})
        lines = ["%s: %s, deadline %s%s (%s)" % (
            w["window_id"], w["status"], w["deadline"] or "none", ", PAST IT" if w["overdue"] else "", w["state_file"])
            for w in windows]
        return {"windows": windows, "now": format_utc(now), "overdue": [w for w in windows if w["overdue"]],
                "lines": lines,
                "msg": "%d windows, %d unfinished, %d past their deadline" % (
                    len(windows), sum(not w.get("finished") for w in windows), sum(w["overdue"] for w in windows))}

    def _op_release(self):
        if self.check_mode or self.args["keep_lock"]:
            return {"released": False}
        return {"released": self._lock(self.args["window"]).release()}
