"""Credential precedence: options over environment, one method, clear errors naming options and variables."""
import pytest

from ansible_collections.hwcloud.taskops.plugins.module_utils.credentials import CredentialsError, resolve_credentials

AKSK_ENV = {"HW_ACCESS_KEY": "AKENV", "HW_SECRET_KEY": "SKENV", "HW_REGION_NAME": "cn-north-4"}
PASSWORD_ENV = {"HW_USER_NAME": "ops", "HW_PASSWORD": "pw-env", "HW_DOMAIN_NAME": "acme"}


def test_options_win_over_environment():
    creds = resolve_credentials({"access_key": "AKOPT", "secret_key": "SKOPT"}, AKSK_ENV)
    assert (creds.method, creds.access_key, creds.secret_key) == ("aksk", "AKOPT", "SKOPT")
    assert creds.source == "module options"
    assert creds.region == "cn-north-4"


def test_options_are_never_mixed_with_environment_credentials():
    with pytest.raises(CredentialsError, match="missing option secret_key or env HW_SECRET_KEY / HUAWEICLOUD_SDK_SK"):
        resolve_credentials({"access_key": "AKOPT", "region": "r"}, AKSK_ENV)


def test_sdk_variable_names_and_temporary_credentials():
    env = {"HUAWEICLOUD_SDK_AK": "A", "HUAWEICLOUD_SDK_SK": "S", "HUAWEICLOUD_SDK_SECURITY_TOKEN": "T",
           "HW_REGION_NAME": "r", "HUAWEICLOUD_SDK_PROJECT_ID": "p1"}
    creds = resolve_credentials({}, env)
    assert (creds.access_key, creds.secret_key, creds.security_token, creds.project_id) == ("A", "S", "T", "p1")


def test_contradictory_duplicate_variables():
    env = dict(AKSK_ENV, HUAWEICLOUD_SDK_AK="OTHER")
    with pytest.raises(CredentialsError, match="HW_ACCESS_KEY and HUAWEICLOUD_SDK_AK are set to different values"):
        resolve_credentials({}, env)
    assert resolve_credentials({}, dict(AKSK_ENV, HUAWEICLOUD_SDK_AK="AKENV")).access_key == "AKENV"


def test_nothing_given_names_every_way():
    with pytest.raises(CredentialsError) as info:
        resolve_credentials({"region": "r"}, {})
    text = str(info.value)
    for name in ("HW_ACCESS_KEY", "HUAWEICLOUD_SDK_SK", "user_name", "HW_PASSWORD", "HW_DOMAIN_NAME",
                 "auth_token", "HW_AUTH_TOKEN"):
        assert name in text


def test_two_methods_in_options_conflict():
    with pytest.raises(CredentialsError, match="conflicting credentials in module options"):
        resolve_credentials({"access_key": "a", "secret_key": "s", "auth_token": "t", "region": "r"}, {})


def test_auth_type_picks_among_options_and_environment():
    params = {"access_key": "a", "secret_key": "s", "auth_token": "t", "region": "r", "auth_type": "token"}
    assert resolve_credentials(params, {}).method == "token"
    env = dict(AKSK_ENV, **PASSWORD_ENV)
    assert resolve_credentials({}, env).method == "aksk"
    assert resolve_credentials({}, dict(env, HW_AUTH_TYPE="password")).method == "password"
    with pytest.raises(CredentialsError, match="auth_type is token but the environment has no pre-issued token"):
        resolve_credentials({"auth_type": "token"}, env)


def test_environment_precedence_token_over_password():
    env = dict(PASSWORD_ENV, HW_AUTH_TOKEN="tok", HW_REGION_NAME="r")
    assert resolve_credentials({}, env).method == "token"


def test_incomplete_password_login():
    with pytest.raises(CredentialsError, match="missing option domain_name or env HW_DOMAIN_NAME"):
        resolve_credentials({"user_name": "u", "password": "p", "region": "r"}, {})


def test_security_token_alone_is_incomplete():
    with pytest.raises(CredentialsError, match="incomplete AK/SK credentials"):
        resolve_credentials({"security_token": "t", "region": "r"}, {})


def test_region_is_required():
    with pytest.raises(CredentialsError, match="no region given: set option region or env HW_REGION_NAME"):
        resolve_credentials({"auth_token": "t"}, {})


def test_repr_never_shows_secrets():
    creds = resolve_credentials({"access_key": "AKX", "secret_key": "VERYSECRET", "region": "r"}, {})
    assert "VERYSECRET" not in repr(creds) and "AKX" not in repr(creds)


def test_credentials_file_counts_as_environment(tmp_path):
    path = tmp_path / "creds.json"
    path.write_text('{"access_key": "AKF", "secret_key": "SKF", "security_token": "", "region": "cn-east-3"}')
    creds = resolve_credentials({}, {"HW_CREDENTIALS_FILE": str(path)})
    assert (creds.method, creds.access_key, creds.secret_key, creds.security_token, creds.region) == (
        "aksk", "AKF", "SKF", None, "cn-east-3")
    mixed = resolve_credentials({}, {"HW_CREDENTIALS_FILE": str(path), "HW_REGION_NAME": "cn-east-3"})
    assert mixed.region == "cn-east-3"
    with pytest.raises(CredentialsError, match="HW_REGION_NAME and HW_CREDENTIALS_FILE \\(region\\) are set to "
                                               "different values"):
        resolve_credentials({}, {"HW_CREDENTIALS_FILE": str(path), "HW_REGION_NAME": "cn-north-4"})


def test_credentials_file_errors(tmp_path):
    with pytest.raises(CredentialsError, match="HW_CREDENTIALS_FILE=/nope cannot be read"):
        resolve_credentials({}, {"HW_CREDENTIALS_FILE": "/nope"})
    bad = tmp_path / "bad.json"
    bad.write_text('{"secret": "x"}')
    with pytest.raises(CredentialsError, match="unknown keys secret"):
        resolve_credentials({}, {"HW_CREDENTIALS_FILE": str(bad)})
    bad.write_text('not json')
    with pytest.raises(CredentialsError, match="is not a JSON object"):
        resolve_credentials({}, {"HW_CREDENTIALS_FILE": str(bad)})
