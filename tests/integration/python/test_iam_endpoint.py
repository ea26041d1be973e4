"""Which IAM host a region uses, end to end, without any traffic leaving this machine.

The module runs through a local HTTPS proxy that only records the host each CONNECT names and refuses it, so the
choice of host is seen from outside the collection while nothing is sent anywhere else.
"""
import os
import socketserver
import subprocess
import sys
import threading

import pytest

from conftest import BIN, ROOT


class RecordingProxy(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self):
        self.targets = []
        super(RecordingProxy, self).__init__(("127.0.0.1", 0), Refuse)


class Refuse(socketserver.StreamRequestHandler):
    def handle(self):
        line = self.rfile.readline().decode("latin-1").split()
        if len(line) >= 2 and line[0] == "CONNECT":
            self.server.targets.append(line[1])
        self.wfile.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")


@pytest.mark.parametrize("region,host", [("cn-south-4", "iam.myhuaweicloud.com:443"),
                                         ("ru-northwest-2", "iam.myhuaweicloud.com:443"),
                                         ("cn-north-4", "iam.cn-north-4.myhuaweicloud.com:443")])
def test_the_iam_host_follows_the_sdks_region_list(emulator, tmp_path, region, host):
    proxy = RecordingProxy()
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    playbook = tmp_path / "iam.yml"
    playbook.write_text(
        "- hosts: localhost\n  gather_facts: false\n  tasks:\n"
        "    - hwcloud.taskops.drs_batch_jobs_info:\n"
        "        region: %s\n        auth_type: password\n        retries: 0\n        timeout: 5\n"
        "        endpoints: {drs: %s}\n" % (region, emulator.env["HWC_EMULATOR_URL"]))
    env = dict(os.environ, ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_NOCOLOR="1",
               HTTPS_PROXY="http://127.0.0.1:%d" % proxy.server_address[1], NO_PROXY="127.0.0.1,localhost",
               HW_USER_NAME=emulator.env["HW_USER_NAME"], HW_PASSWORD=emulator.env["HW_PASSWORD"],
               HW_DOMAIN_NAME=emulator.env["HW_DOMAIN_NAME"], HW_PROJECT_ID=emulator.env["HW_PROJECT_ID"])
    for key in ("HW_ACCESS_KEY", "HW_SECRET_KEY", "HW_ENDPOINTS", "HW_REGION_NAME"):
        env.pop(key, None)
    done = subprocess.run([os.path.join(BIN, "ansible-playbook"), str(playbook)], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)
    proxy.shutdown()
    proxy.server_close()
    assert done.returncode != 0 and "Traceback" not in done.stdout
    assert "iam create token failed" in done.stdout, done.stdout
    assert proxy.targets and set(proxy.targets) == {host}
