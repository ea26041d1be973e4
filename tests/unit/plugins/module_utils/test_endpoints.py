import pytest

from ansible_collections.hwcloud.taskops.plugins.module_utils.endpoints import (
    EndpointError, parse_endpoints_env, resolve_endpoints,
)


def test_defaults_per_service_and_region():
    endpoints = resolve_endpoints("cn-north-4", {})
    assert endpoints == {"iam": "https://iam.cn-north-4.myhuaweicloud.com",
                         "roma": "https://roma.cn-north-4.myhuaweicloud.com",
                         "drs": "https://drs.cn-north-4.myhuaweicloud.com",
                         "vias": "https://vias.cn-north-4.myhuaweicloud.com"}


def test_eu_west_101_uses_its_own_domain():
    assert resolve_endpoints("eu-west-101", {})["drs"] == "https://drs.eu-west-101.myhuaweicloud.eu"


def test_overrides_replace_single_services_and_keep_prefixes():
    endpoints = resolve_endpoints("cn-north-4", {"iam": "https://iam.myhuaweicloud.com",
                                                 "roma": "http://127.0.0.1:8080/prefix/"})
    assert endpoints["iam"] == "https://iam.myhuaweicloud.com"
    assert endpoints["roma"] == "http://127.0.0.1:8080/prefix"
    assert endpoints["drs"] == "https://drs.cn-north-4.myhuaweicloud.com"


def test_unknown_service_and_bad_url_are_rejected():
    with pytest.raises(EndpointError, match="unknown service"):
        resolve_endpoints("r", {"ecs": "https://x"})
    with pytest.raises(EndpointError, match="must be an http"):
        resolve_endpoints("r", {"roma": "roma.example"})


def test_env_json():
    assert parse_endpoints_env('{"drs": "http://h:1"}') == {"drs": "http://h:1"}
    assert parse_endpoints_env("") == {}
    with pytest.raises(EndpointError, match="HW_ENDPOINTS must be a JSON object"):
        parse_endpoints_env("[1]")
    with pytest.raises(EndpointError, match="HW_ENDPOINTS"):
        parse_endpoints_env("{not json")


def test_regions_without_a_regional_iam_host_use_the_global_one():
    from ansible_collections.hwcloud.taskops.plugins.module_utils.endpoints import IAM_GLOBAL_ENDPOINT
    for region in ("cn-south-4", "ru-northwest-2", "ap-southeast-5", "cn-southwest-3", "cn-north-11", "af-north-1"):
        endpoints = resolve_endpoints(region, {})
        assert endpoints["iam"] == IAM_GLOBAL_ENDPOINT, region
        assert endpoints["drs"] == "https://drs.%s.myhuaweicloud.com" % region
    assert resolve_endpoints("cn-north-4", {})["iam"] == "https://iam.cn-north-4.myhuaweicloud.com"
