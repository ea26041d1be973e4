"""A service is declared once, in its own module: the gateway, the world, the admin API, the client variables and
--generate learn it from the registry. A toy service, registered and nothing else, is served end to end."""
import pytest
import requests

from hwc_emulator import errors, registry
from hwc_emulator.conformance.common import PROJECT
from hwc_emulator.model import Item
from hwc_emulator.testing import InProcessEmulator
from hwc_emulator.world import generated_scenario


def _load(world, spec, now):
    world.toy = {str(n): Item(str(n), {"id": str(n), "state": "ON"}, now) for n in range(int(spec.get("count", 0)))}


def _switch_off(world, ctx, params, query, body):
    item = world.toy[params["toy_id"]]
    item.schedule(ctx.now, [(world.delays["toy"], {"state": "OFF"})])
    return 202, {"id": item.id}


TOY = registry.Service(
    "toy",
    routes=[registry.Route("GET", "/v1/{project_id}/toys", "list",
                           lambda w, c, p, q, b: (200, {"toys": [t.view(c.now) for t in w.toy.values()]})),
            registry.Route("POST", "/v1/{project_id}/toys/{toy_id}/off", "off", _switch_off, kind="write")],
    bad_body=lambda: errors.flat(400, "TOY.0001", "bad body"),
    project_error=lambda project_id: errors.flat(403, "TOY.0002", "bad project"),
    server_error=lambda status: errors.flat(status, "TOY.0003", "toy broke"),
    load=_load, items=lambda world: iter(world.toy.values()),
    snapshot=lambda world, now: [t.view(now) for t in world.toy.values()],
    generate=lambda count: {"count": count},
)


@pytest.fixture
def with_toy(monkeypatch):
    monkeypatch.setattr(registry, "_services", registry.services() + [TOY])


def test_a_registered_service_is_served_counted_and_shown(with_toy):
    with InProcessEmulator({"toy": {"count": 2}, "delays": {"toy": 0}}) as emu:
        assert '"toy"' in emu.env["HW_ENDPOINTS"]
        token = requests.post(emu.url + "/v3/auth/tokens", timeout=10, json={"auth": {
            "identity": {"methods": ["password"], "password": {"user": {
                "name": "ops-admin", "password": "Emulator-Passw0rd!", "domain": {"name": "hwc-demo"}}}},
            "scope": {"project": {"id": PROJECT}}}}).headers["X-Subject-Token"]
        headers = {"X-Auth-Token": token}
        assert requests.post(emu.url + "/v1/%s/toys/1/off" % PROJECT, headers=headers, timeout=10).status_code == 202
        listed = requests.get(emu.url + "/v1/%s/toys" % PROJECT, headers=headers, timeout=10).json()["toys"]
        assert sorted((t["id"], t["state"]) for t in listed) == [("0", "ON"), ("1", "OFF")]
        wrong = requests.get(emu.url + "/v1/other-project/toys", headers=headers, timeout=10)
        assert wrong.status_code == 403 and wrong.json()["error_code"] == "TOY.0002"
        stats = emu.admin.stats()
        assert stats["writes"] == 1 and stats["by_operation"]["toy.off"] == {"202": 1}
        assert [t["state"] for t in emu.admin.objects()["toy"]] == ["ON", "OFF"]
        emu.admin.set_faults([{"type": "error", "service": "toy", "status": 503, "count": 1}])
        broke = requests.get(emu.url + "/v1/%s/toys" % PROJECT, headers=headers, timeout=10)
        assert broke.status_code == 503 and broke.json()["error_code"] == "TOY.0003"
        emu.admin.patch_item("0", state="OFF")
        assert emu.item("0")["state"] == "OFF"
    assert generated_scenario("toy=3,drs=1")["toy"] == {"count": 3}


def test_unknown_services_in_generate_name_the_registered_ones():
    with pytest.raises(ValueError, match="roma=N,drs=N,vias=N"):
        generated_scenario("nosuch=3")
