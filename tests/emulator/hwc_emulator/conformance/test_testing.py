"""The public test harness: EmulatorProcess, InProcessEmulator, AdminClient and the pytest plugin's fixtures."""
import pytest
import requests

from hwc_emulator.testing import AdminError, EmulatorProcess, InProcessEmulator


def test_a_process_serves_its_scenario_and_stops_cleanly(tmp_path):
    scenario = tmp_path / "one.yml"
    scenario.write_text("drs:\n  jobs:\n    - {id: 11111111-1111-4111-8111-111111111111, name: only-job}\n")
    with EmulatorProcess(scenario=str(scenario), args=["--delay", "0.1"]) as emu:
        assert emu.admin.health() == {"status": "ok"}
        assert [job["name"] for job in emu.admin.objects()["drs"]] == ["only-job"]
        assert set(emu.env) >= {"HW_ENDPOINTS", "HW_ACCESS_KEY", "HW_SECRET_KEY", "HW_PROJECT_ID"}
        process = emu.process
    assert process.returncode == 0  # SIGTERM, then a clean exit


def test_a_process_that_cannot_start_says_why(tmp_path):
    with pytest.raises(RuntimeError, match="did not start"):
        with EmulatorProcess(scenario=str(tmp_path / "missing.yml")):
            pass


def test_admin_client_helpers_and_errors():
    with InProcessEmulator({"drs": {"jobs": [{"id": "22222222-2222-4222-8222-222222222222", "name": "job"}]}}) as emu:
        emu.admin.patch_item("22222222-2222-4222-8222-222222222222", status="PAUSING")
        assert emu.item("22222222-2222-4222-8222-222222222222")["status"] == "PAUSING"
        emu.admin.set_faults([{"type": "error", "status": 503, "count": 1}])
        assert emu.admin("GET", "faults")["faults"][0]["type"] == "error"
        assert emu.admin.set_rate_limit(5)["rps"] == 5
        assert emu.admin.advance_clock(60)["offset"] == 60
        emu.admin.reset()
        assert emu.item("22222222-2222-4222-8222-222222222222")["status"] == "INCRE_TRANSFER_STARTED"
        assert emu.admin.stats()["total"] == 0 and emu.admin.requests() == [] and emu.admin.inflight() == []
        emu.admin.wait_idle(timeout=1)
        with pytest.raises(AdminError) as info:
            emu.admin.patch_item("no-such-item", status="PAUSING")
        assert info.value.status == 404


def test_in_process_env_points_a_client_at_it():
    with InProcessEmulator() as emu:  # the bundled demo scenario
        answer = requests.get(emu.env["HWC_EMULATOR_URL"] + "/v2/%s/tasks" % emu.env["HW_PROJECT_ID"], timeout=10)
        assert answer.status_code == 401  # unsigned: the gateway refuses it
        assert emu.admin.objects()["roma"]


def test_the_pytest_plugin_gives_a_fresh_emulator(hwc_emulator_fresh, hwc_emulator_env):
    assert hwc_emulator_env["HWC_EMULATOR_URL"] == hwc_emulator_fresh.url
    assert hwc_emulator_fresh.admin.stats()["total"] == 0
    assert hwc_emulator_fresh.process.poll() is None
