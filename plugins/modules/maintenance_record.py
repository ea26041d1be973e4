#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: maintenance_record
short_description: Own the record of a maintenance window (used by the maintenance_window role)
version_added: 1.0.0
description:
  - The one owner of a maintenance window's record on the controller. The C(hwcloud.taskops.maintenance_window)
    role calls it at each step; use it directly only to build a window workflow of your own.
  - The record (JSON, versioned, written atomically, mode 0600) says what the window planned to quiesce, from
    the check-mode results of the action modules, and what each step did. Exit brings back exactly the objects
    planned for quiescing (VIAS child by child), whatever enter managed to do before a crash.
  - An exclusive lock per window (C(<record>.lock)) refuses a second run while one holds it. A lock left by a run
    that no longer exists on this controller is taken over; one from another controller only after its lease
    ran out, or with O(break_lock=true).
  - A record handed over for exit must belong to the window being exited. Version 1 records (hwcloud.taskops
    0.1) are read; unknown versions and damaged records are refused with a clear message and left untouched;
    a damaged service section is set aside and reported while exit goes on with the other services.
  - Records are kept per inventory host by default (C(<state_dir>/<inventory host>/<window id>.json)), so one
    host per region or project never shares a record. Exit still finds a record at C(<state_dir>/<window id>.json),
    where versions before 0.3 wrote it.
  - O(op=windows) lists this host's records with their status and deadline; the guard playbook uses it.
  - Writes the reports beside the record (C(<record dir>/reports)), JSON and Markdown per phase and one
    self-contained HTML page per window.
  - Runs on the controller. In check mode it writes nothing and takes no lock.
  - It is in the C(hwcloud.taskops.hwcloud) action group like every module of the collection; the cloud options
    that group C(module_defaults) hand it (credentials, region, endpoints, timeouts) do not apply and are
    ignored.
author:
  - hwcloud.taskops contributors (@hwcloud-taskops)
options:
  op:
    description:
      - V(open) takes the lock and checks the record (enter refuses an unfinished record; exit loads and checks
        the record and returns the module arguments that bring everything back).
      - V(commit) turns the check-mode results in O(plans) into the record, applies O(policy), writes the record
        before the first cloud write, and returns the module arguments that act on exactly that plan.
      - V(step) merges the results of one service step (O(service), O(result)) into the record.
      - V(close) ends the phase (V(entered); at exit V(finished) or V(exit_failed) listing what is still
        stopped), writes the reports and releases the lock unless O(keep_lock).
      - V(release) releases the lock if this run holds it.
    type: str
    required: true
    choices: [open, commit, step, close, release, windows]
  phase:
    description: With O(op=open) and O(op=close), V(enter) or V(exit).
    type: str
    choices: [enter, exit]
  window_id:
    description:
      - The window's id (1 to 128 ASCII letters, digits, C(.), C(_) or C(-)); it names the record and the reports.
      - Empty at enter means C(maintenance-<UTC date>); at exit, the id of the handed-over record or of the
        record in O(state_file).
    type: str
    default: ""
  state_dir:
    description: Directory of the records. Defaults to C(~/.ansible/hwcloud-maintenance).
    type: path
  state_file:
    description: The record's path. Defaults to C(<state_dir>/<window_id>.json).
    type: str
    default: ""
  report_dir:
    description: Where the reports go. Defaults to a C(reports) directory beside the record.
    type: str
    default: ""
  window:
    description: The C(window) that O(op=open) returned; required by every other op.
    type: dict
  record:
    description:
      - With O(op=open) and O(phase=exit), a record handed over from the enter job (an AWX workflow's
        C(set_stats)). It must belong to the window being exited; the newer of it and the state file is used.
    type: dict
    default: {}
  records:
    description:
      - With O(op=open) and O(phase=exit), the records handed over from the enter job keyed by inventory host (the
        role publishes them with C(set_stats) as C(maintenance_window_records)). The entry of the current host is
        used before O(record); a single O(record) that belongs to another host is not used.
    type: dict
    default: {}
  max_duration:
    description:
      - With O(op=open) and O(phase=enter), the window's deadline, kept in the record. A duration (seconds, or
        such as V(90m), V(4h), V(1h30m), V(2d); at most 30 days) or a future ISO 8601 time with a zone. Empty
        means no deadline. The C(hwcloud.taskops.maintenance_guard) playbook exits a window past its deadline.
    type: raw
  policy:
    description:
      - What to do with objects that cannot be quiesced (for example a C(FROZEN) VIAS child, a DRS job in a
        status that cannot be paused). V(fail) refuses the window before any change; V(skip) leaves them as they
        are, lists them with the reason in the record and the report, and goes on.
    type: str
    choices: [fail, skip]
    default: fail
  order:
    description: The services, in the order enter quiesces them.
    type: list
    elements: str
    default: [drs, roma, vias]
  roma:
    description: The role's C(maintenance_window_roma) targets, with O(op=open) and O(phase=enter).
    type: list
    elements: dict
    default: []
  drs:
    description: The role's C(maintenance_window_drs) target.
    type: dict
    default: {}
  vias:
    description: The role's C(maintenance_window_vias) target.
    type: dict
    default: {}
  plans:
    description: With O(op=commit), the registered check-mode results per service (C(roma), C(drs), C(vias)).
    type: dict
    default: {}
  service:
    description: With O(op=step), the service of O(result).
    type: str
    choices: [drs, roma, vias]
  result:
    description: With O(op=step), the registered (looped) result of that service's module task.
    type: dict
    default: {}
  break_lock:
    description: Take over a lock held from another controller before its lease runs out. Only when you are sure
      that run no longer exists.
    type: bool
    default: false
  keep_lock:
    description: Keep the lock after O(op=close) (the role's C(main) entry point holds it from enter to exit).
    type: bool
    default: false
  lock_lease:
    description: Seconds a lock from another controller is honoured after the record was last written.
    type: float
    default: 3600
attributes:
  check_mode:
    support: full
    description: Writes nothing and takes no lock; O(op=commit) still refuses a window the policy would refuse and
      returns the preview.
  diff_mode:
    support: full
    description: O(op=commit) shows one line per object that would change and a summary per service.
  action:
    support: full
    description: Runs on the controller as an action plugin.
"""

EXAMPLES = r"""
- name: Open a window (lock it; refuse an unfinished record)
  hwcloud.taskops.maintenance_record:
    op: open
    phase: enter
    window_id: CHG-2026-1123
    max_duration: 4h
    drs:
      job_names: [orders-replica]
  register: window

- name: List this host's windows and those past their deadline
  hwcloud.taskops.maintenance_record:
    op: windows
  register: windows

- name: Release the lock if this run still holds it
  hwcloud.taskops.maintenance_record:
    op: release
    window: "{{ window.window }}"
"""

RETURN = r"""
window:
  description: The window's id, record path, report directory and inventory host.
  returned: with O(op=open)
  type: dict
  sample: {"id": "CHG-2026-1123", "state_file": "/home/ops/.ansible/hwcloud-maintenance/localhost/CHG-2026-1123.json",
           "report_dir": "/home/ops/.ansible/hwcloud-maintenance/localhost/reports", "host": "localhost",
           "deadline": "2026-11-24T03:00:00Z"}
steps:
  description: Per service (C(roma), C(drs), C(vias)), the module arguments of the next stage.
  returned: with O(op=open) and O(op=commit)
  type: dict
recheck:
  description: >-
    With O(phase=exit), the module arguments of the services whose enter step never finished (the run died during
    it): writes it sent may still be landing, so the role brings these services back a second time after
    C(maintenance_window_recheck_delay) seconds.
  returned: with O(op=open) and O(phase=exit)
  type: dict
done:
  description: With O(phase=exit), true when there is nothing to bring back.
  returned: with O(op=open) and O(phase=exit)
  type: bool
record:
  description: The record as written (with O(op=close)), or as planned in check mode (with O(op=commit)).
  returned: with O(op=close); with O(op=commit) in check mode
  type: dict
summary:
  description: Counts of objects, quiesced, brought back, skipped, and what is still stopped.
  returned: with O(op=close)
  type: dict
published:
  description: >-
    What the role publishes with C(set_stats) in C(hwcloud_maintenance_hosts), keyed by inventory host: window id,
    inventory host, phase, status, deadline, record path, HTML report path, all report paths and the summary.
  returned: with O(op=close)
  type: dict
reports:
  description: Paths of the record and of the JSON, Markdown and HTML reports written.
  returned: with O(op=close)
  type: dict
problems:
  description: With O(op=step) at exit, what the step could not bring back.
  returned: with O(op=step)
  type: list
  elements: str
windows:
  description: >-
    With O(op=windows), every record of this host: C(window_id), C(state_file), C(status), C(deadline) (UTC, or
    null), C(finished), and C(overdue) (unfinished and past its deadline).
  returned: with O(op=windows)
  type: list
  elements: dict
lines:
  description: With O(op=windows), one line per window (id, status, deadline, path) for people.
  returned: with O(op=windows)
  type: list
  elements: str
overdue:
  description: With O(op=windows), the windows that are unfinished and past their deadline.
  returned: with O(op=windows)
  type: list
  elements: dict
released:
  description: Whether the lock was released.
  returned: with O(op=release)
  type: bool
"""
