"""Fixtures: an in-process emulator per test module, reset before each test, driven by the official SDK.

Run the suite against an installed emulator with ``pytest --pyargs hwc_emulator.conformance`` (it needs the
SDK packages of the ``conformance`` extra).
"""
import pytest

from hwc_emulator.conformance.common import SCENARIO, Running


@pytest.fixture(scope="module")
def running():
    instance = Running(SCENARIO)
    yield instance
    instance.close()


@pytest.fixture
def emu(running):
    running.admin("POST", "reset", {"scenario": SCENARIO, "faults": []})
    return running


def pytest_configure(config):
    # The SDK's signer calls datetime.utcnow(); its deprecation is not ours to fix.
    config.addinivalue_line("filterwarnings", "ignore:datetime.datetime.utcnow:DeprecationWarning")
    # SDK 3.1.219 marks the DRS v3 batch methods deprecated (v5 /jobs/action succeeds them); they still work.
    config.addinivalue_line("filterwarnings", "ignore:Method .* of DrsClient is deprecated:DeprecationWarning")
