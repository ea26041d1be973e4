"""pytest fixtures for tests that drive hwc-emulator (loaded automatically once the package is installed).

- ``hwc_emulator``: one emulator process for the session (``EmulatorProcess``).
- ``hwc_emulator_fresh``: the same emulator, idle and reset to its starting scenario, for one test.
- ``hwc_emulator_scenario`` and ``hwc_emulator_args``: what the session emulator starts with (default: the
  bundled demo scenario, no options); override them in a conftest.py to choose, e.g.::

      @pytest.fixture(scope="session")
      def hwc_emulator_scenario():
          return os.path.join(os.path.dirname(__file__), "scenario.yml")

- ``hwc_emulator_env``: the HW_* variables (with the current environment) for a client run by the test.
"""

import os

import pytest

from hwc_emulator.testing import EmulatorProcess


@pytest.fixture(scope="session")
def hwc_emulator_scenario():
    return None


@pytest.fixture(scope="session")
def hwc_emulator_args():
    return []


@pytest.fixture(scope="session")
def hwc_emulator(hwc_emulator_scenario, hwc_emulator_args):
    with EmulatorProcess(scenario=hwc_emulator_scenario, args=hwc_emulator_args) as emulator:
        yield emulator


@pytest.fixture
def hwc_emulator_fresh(hwc_emulator):
    # A request a killed client left held (a 'hang' fault) ends, and counts, later: let it end first, so it
    # never shows up in this test's statistics.
    hwc_emulator.admin.wait_idle()
    hwc_emulator.admin.reset()
    return hwc_emulator


@pytest.fixture
def hwc_emulator_env(hwc_emulator_fresh):
    return dict(os.environ, **hwc_emulator_fresh.env)
