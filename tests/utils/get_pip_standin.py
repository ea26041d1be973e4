"""Offline stand-in for ansible-test's get-pip bootstrap script.

ansible-test downloads get-pip.py from a host this build cannot reach; this file is
copied into its cache instead. It bootstraps pip with ensurepip (in a subprocess, so
the system pip configuration stays in effect) and installs what it was asked to.
"""
import subprocess
import sys

SKIP = ("--no-setuptools", "--no-wheel", "--no-pip")

if __name__ == "__main__":
    subprocess.check_call([sys.executable, "-m", "ensurepip", "--upgrade"])
    args = [arg for arg in sys.argv[1:] if arg not in SKIP]
    subprocess.check_call([sys.executable, "-m", "pip", "install", "--upgrade"] + args)
