"""Unit tests import the collection as ansible_collections.hwcloud.taskops (linked into the venv by make venv)."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

from hypothesis import settings

# Property tests are deterministic in CI (reproducible failures) and explore freely elsewhere.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


import pytest  # noqa: E402


@pytest.fixture
def server():
    from scripted_server import ScriptedServer
    srv = ScriptedServer()
    yield srv
    srv.close()
