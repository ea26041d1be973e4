"""Processes of the tests: the venv's executables, and killing a run with everything it started.

The emulator itself is started with hwc_emulator.testing (the emulator package's own harness)."""
import os
import signal
import sys

BIN = os.path.dirname(sys.executable)


def descendants(pid):
    """Every process below ``pid`` (Linux /proc), including those that started a session of their own."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as handle:
                ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def kill_tree(process):
    """SIGKILL a run and everything it started, as a crash of the controller would.

    ansible-playbook's workers run in sessions of their own, so killing its process group alone leaves the
    current task running (and writing) after the 'crash'.
    """
    # Freeze the tree first, until no new process appears: a worker forked between a scan and the kill would
    # otherwise live on, reparented, and keep writing.
    frozen = set()
    while True:
        new = [pid for pid in [process.pid] + descendants(process.pid) if pid not in frozen]
        if not new:
            break
        for pid in new:
            _signal(pid, signal.SIGSTOP)
        frozen.update(new)
    for pid in frozen:
        _signal(pid, signal.SIGKILL)
    process.wait()


def _signal(pid, number):
    try:
        os.kill(pid, number)
    except OSError:
        pass
