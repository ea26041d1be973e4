# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Where a maintenance record lives on the controller: atomic files and the per-window lock.

The lock is a file beside the record (``<record>.lock``) naming its owner: the controller host, the
ansible-playbook process (pid and start time, so a reused pid is not mistaken for the owner) and the
inventory host. It outlives single tasks, which run in short-lived worker processes. Taking, checking
and releasing it happen under a short ``flock`` on ``<record>.lock.guard``, so two runs can never both
decide they own it. A lock whose owner is gone is stale and is taken over:

* on the same controller, when that process no longer runs (certain);
* from another controller (an AWX pod that was killed), only once its lease has expired, or when the
  operator says so with ``break_lock``: a process on another machine cannot be checked from here.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno
import fcntl
import json
import os
import socket
import tempfile
import time


class StoreError(Exception):
    """The record or its lock cannot be used; the message says why and what to do."""


def write_json(path, data):
    """Write ``data`` as JSON atomically (temp file, fsync, rename, fsync of the directory), mode 0600."""
    directory = os.path.dirname(os.path.abspath(path))
    make_private_dir(directory)
    handle, temp = tempfile.mkstemp(prefix=".%s." % os.path.basename(path), dir=directory)
    try:
        with os.fdopen(handle, "w") as stream:
            json.dump(data, stream, indent=2, sort_keys=True)
            stream.write("\n")
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, 0o600)
        os.rename(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise
    _fsync_dir(directory)


def write_text(path, text):
    """Write a report atomically, mode 0600."""
    directory = os.path.dirname(os.path.abspath(path))
    make_private_dir(directory)
    handle, temp = tempfile.mkstemp(prefix=".%s." % os.path.basename(path), dir=directory)
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(text)
    os.chmod(temp, 0o600)
    os.rename(temp, path)


def read_json(path):
    """The parsed file, None when it does not exist; StoreError when it cannot be read or parsed."""
    try:
        with open(path, encoding="utf-8") as stream:
            text = stream.read()
    except (IOError, OSError) as exc:
        if exc.errno == errno.ENOENT:
            return None
        raise StoreError("cannot read %s: %s" % (path, exc.strerror))
    try:
        return json.loads(text)
    except ValueError as exc:
        raise StoreError("%s is not valid JSON (%s); it was left untouched. Repair it or restore it from a "
                         "backup, or bring the objects back by hand from the last report." % (path, exc))


def make_private_dir(directory):
    """Create it (owner only) unless it exists; two runs creating it at the same moment both go on."""
    try:
        os.makedirs(directory, 0o700)
    except OSError as exc:
        if exc.errno != errno.EEXIST or not os.path.isdir(directory):
            raise


def _fsync_dir(directory):
    try:
        handle = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def _proc_stat(pid):
    """The fields of /proc/<pid>/stat after the command name (Linux), or None where unknown."""
    try:
        with open("/proc/%d/stat" % pid) as stream:
            return stream.read().rsplit(")", 1)[1].split()
    except (IOError, OSError, IndexError):
        return None


def process_start(pid):
    """The start time of a process in clock ticks since boot (Linux), or None where unknown."""
    fields = _proc_stat(pid)
    try:
        return int(fields[19]) if fields else None
    except (ValueError, IndexError):
        return None


def process_alive(pid, start):
    try:
        os.kill(pid, 0)
    except OSError as exc:
        if exc.errno == errno.ESRCH:
            return False
    fields = _proc_stat(pid)
    if fields and fields[0] in ("Z", "X"):
        return False  # killed, not yet reaped by its parent: it holds nothing any more
    current = process_start(pid)
    return start is None or current is None or current == start


def run_owner(inventory_host):
    """Who this run is: the ansible-playbook process that forked this worker."""
    pid = os.getppid()
    return {"controller": socket.gethostname(), "pid": pid, "pid_start": process_start(pid),
            "inventory_host": inventory_host}


def same_owner(one, other):
    keys = ("controller", "pid", "pid_start", "inventory_host")
    return all(one.get(k) == other.get(k) for k in keys)


def describe_owner(owner):
    return "ansible-playbook pid %s on %s (inventory host %s)" % (
        owner.get("pid"), owner.get("controller"), owner.get("inventory_host"))


class WindowLock:
    """The exclusive lock of one window's record."""

    def __init__(self, record_path, owner, lease, clock=time.time):
        self.path = record_path + ".lock"
        self.owner = owner
        self.lease = lease
        self.clock = clock

    def _guard(self):
        make_private_dir(os.path.dirname(os.path.abspath(self.path)))
        handle = os.open(self.path + ".guard", os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(handle, fcntl.LOCK_EX)
        return handle

    def _read(self):
        try:
            data = read_json(self.path)
        except StoreError:
            return {"owner": {}, "damaged": True}
        return data if isinstance(data, dict) else {"owner": {}, "damaged": True}

    def _stale_reason(self, held, break_lock):
        owner = held.get("owner") or {}
        if held.get("damaged"):
            return "its lock file was unreadable"
        if owner.get("controller") == self.owner["controller"]:
            if not process_alive(int(owner.get("pid") or 0), owner.get("pid_start")):
                return "%s no longer runs" % describe_owner(owner)
            return None
        if break_lock:
            return "break_lock was set by the operator"
        if float(held.get("lease_until") or 0) < self.clock():
            return "its lease from another controller expired at %s" % _iso(held.get("lease_until"))
        return None

    def acquire(self, window_id, break_lock=False):
        """Take the lock; returns a note when a stale lock was taken over. StoreError when it is held."""
        guard = self._guard()
        try:
            held = self._read() if os.path.exists(self.path) else None
            note = None
            if held is not None and not same_owner(held.get("owner") or {}, self.owner):
                reason = self._stale_reason(held, break_lock)
                if reason is None:
                    holder = describe_owner(held.get("owner", {}))
                    raise StoreError(
                        "window %s is locked by %s since %s: another run is working on it. Wait for it to finish; "
                        "if it was killed on another machine, rerun with -e maintenance_window_break_lock=true "
                        "once you are sure it no longer runs." % (window_id, holder, held.get("acquired_at")))
                note = "took over the lock of window %s: %s" % (window_id, reason)
            self._write(window_id, held if held and same_owner(held.get("owner") or {}, self.owner) else None)
            return note
        finally:
            os.close(guard)

    def _write(self, window_id, previous):
        now = self.clock()
        write_json(self.path, {"window_id": window_id, "owner": self.owner,
                               "acquired_at": (previous or {}).get("acquired_at") or _iso(now),
                               "lease_until": now + self.lease})

    def confirm(self, window_id):
        """Before a record write: the lock is still ours (and its lease is renewed)."""
        guard = self._guard()
        try:
            held = self._read() if os.path.exists(self.path) else None
            if held is None or not same_owner(held.get("owner") or {}, self.owner):
                taker = describe_owner((held or {}).get("owner") or {}) if held else "nobody (it was removed)"
                raise StoreError("lost the lock of window %s: it is now held by %s. Stopping here so that two runs "
                                 "do not act on the same window; check the record and the other run."
                                 % (window_id, taker))
            self._write(window_id, held)
        finally:
            os.close(guard)

    def release(self):
        guard = self._guard()
        try:
            held = self._read() if os.path.exists(self.path) else None
            if held is not None and same_owner(held.get("owner") or {}, self.owner):
                os.unlink(self.path)
                return True
            return False
        finally:
            os.close(guard)


def _iso(epoch):
    if not epoch:
        return "?"
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(float(epoch)))
