"""Tests of rules/settings.py beyond the rule cases: the schema, its compiled validators, and botocore itself.

The botocore tests create clients only and never call an operation: every
profile points endpoint_url at a closed loopback port, IMDS is disabled and
the client gets explicit placeholder keys, so no credential provider runs.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from awsdoctor.ini import Entry
from awsdoctor.rules.setting_schema import (
    NESTED,
    PROFILE,
    SERVICE,
    SSO_SESSION,
    Spec,
    catalog,
    check_value,
    convert,
    describe_region,
    iter_setting_entries,
    load_schema,
    nested_items,
    suggest_key,
)
from awsdoctor.setup import Setup
from conftest import FIXTURES, AwsHome

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

LOOPBACK = "http://127.0.0.1:9"
TOOLS = {"botocore", "cli-v1", "cli-v2"}


# -- the schema file -------------------------------------------------------------


def test_schema_is_valid_draft_2020_12() -> None:
    import jsonschema

    jsonschema.Draft202012Validator.check_schema(load_schema())


def _properties(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    definitions = schema["$defs"]
    for scope in ("profile", "sso-session"):
        for key, body in definitions[scope]["properties"].items():
            yield f"{scope}.{key}", body
            for inner, inner_body in body.get("properties", {}).items():
                yield f"{scope}.{key}.{inner}", inner_body
    yield "services.*", definitions["services"]["additionalProperties"]


@pytest.mark.parametrize(("path", "body"), list(_properties(load_schema())), ids=lambda value: str(value)[:40])
def test_schema_property_names_tools(path: str, body: dict[str, Any]) -> None:
    tools = body.get("x-tools")
    assert tools, f"{path} has no x-tools"
    assert set(tools) <= TOOLS, f"{path} names unknown tools {set(tools) - TOOLS}"


def test_schema_tool_values_within_enum() -> None:
    for path, body in _properties(load_schema()):
        for tool, values in body.get("x-tool-values", {}).items():
            assert set(values) <= set(body["enum"]), f"{path}: {tool} values outside the enum"


def test_schema_aliases_point_at_keys() -> None:
    schema = load_schema()
    known = set(schema["$defs"]["profile"]["properties"])
    assert set(schema["x-aliases"].values()) <= known


def test_schema_covers_botocore_session_variables() -> None:
    from botocore.configprovider import BOTOCORE_DEFAUT_SESSION_VARIABLES

    config_keys = {spec[0] for spec in BOTOCORE_DEFAUT_SESSION_VARIABLES.values() if isinstance(spec[0], str)}
    missing = config_keys - set(catalog().key_names(PROFILE)) - {"data_path"}
    assert missing == set()


# -- compiled validators against jsonschema --------------------------------------------


def _fixture_texts() -> Iterator[tuple[str | None, str | None]]:
    for path in sorted((FIXTURES / "rules").glob("*.toml")):
        with path.open("rb") as handle:
            document = tomllib.load(handle)
        for case in document.get("case", []):
            yield case.get("config"), case.get("credentials")


EXTRA_VALUES = """
[default]
region = -us-east-1
max_attempts = 1_000
max_attempts = +3
metadata_service_timeout = -1
csm_port = 70000
request_min_compression_size_bytes = 0
defaults_mode = CROSS-REGION
endpoint_discovery_enabled = AUTO
ec2_metadata_service_endpoint_mode = IPv6
use_fips_endpoint = True
s3 =
  max_concurrent_requests = 0
  multipart_chunksize = 8 mib
  max_bandwidth = 10MB/S
  us_east_1_regional_endpoint = Legacy
"""


def _nested_verdict(spec: Spec, entry: Entry) -> tuple[dict[str, object], bool]:
    """Convert a nested block's known lines as the validators do, and return it with the compiled verdict."""
    block: dict[str, object] = {}
    valid = True
    for item in nested_items(entry):
        inner = spec.properties.get(item.key)
        if inner is None:
            continue
        block[item.key] = convert(inner, item.value)
        valid = valid and check_value(inner, item.value) is None
    return block, valid


def _verdicts(setup: Setup) -> Iterator[tuple[str, dict[str, Any], bool]]:
    """Yield (label, jsonschema instance, compiled verdict) for every value a fixture file holds."""
    known = catalog()
    for item in iter_setting_entries(setup):
        spec = known.service_block if item.scope == SERVICE else known.spec(item.scope, item.entry.key)
        if spec is None:
            continue
        label = f"[{item.section}] {item.entry.key}"
        value: object
        if spec.kind != NESTED:
            if item.value is None:
                continue
            value, valid = convert(spec, item.value), check_value(spec, item.value) is None
        elif item.value is not None:
            value, valid = item.value, check_value(spec, item.value) is None
        else:
            value, valid = _nested_verdict(spec, item.entry)
        yield label, {item.scope: {item.entry.key: value}}, valid


def test_compiled_validators_agree_with_jsonschema(tmp_path: Path) -> None:
    import jsonschema

    validator = jsonschema.Draft202012Validator(load_schema())
    texts = [*_fixture_texts(), (EXTRA_VALUES, None)]
    checked = 0
    for index, (config, credentials) in enumerate(texts):
        home = AwsHome(tmp_path / str(index))
        home.write(config=config, credentials=credentials)
        for label, instance, compiled_valid in _verdicts(home.setup()):
            schema_valid = validator.is_valid(instance)
            assert compiled_valid == schema_valid, f"{label}: compiled {compiled_valid}, jsonschema {schema_valid}"
            checked += 1
    assert checked > 100


def test_check_value_cached() -> None:
    spec = catalog().spec(PROFILE, "retry_mode")
    assert spec is not None
    first = check_value(spec, "Standard")
    assert check_value(spec, "Standard") is first


def test_sso_session_scope_compiled() -> None:
    spec = catalog().spec(SSO_SESSION, "sso_region")
    assert spec is not None
    assert check_value(spec, "us_east_1") is not None


def test_check_path_skips_heavy_imports(tmp_path: Path) -> None:
    home = AwsHome(tmp_path).write(config="[default]\nregion = us-east-1a\nretry_mode = Standard\n")
    script = (
        "import sys\n"
        "from awsdoctor.setup import load_setup\n"
        "from awsdoctor.engine import run_rules\n"
        "from awsdoctor.rules import settings\n"
        "from awsdoctor.rule import Rule\n"
        "rules = [value for value in vars(settings).values() if isinstance(value, Rule)]\n"
        f"findings = run_rules(load_setup({{'HOME': {str(home.home)!r}}}), rules)\n"
        "print(len(findings), 'jsonschema' in sys.modules, 'botocore' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert result.stderr == ""
    assert result.stdout == "2 False False\n"


# -- suggestions and regions -----------------------------------------------------------


@pytest.mark.parametrize(("key", "expected"), [
    ("aws_access_key", "aws_access_key_id"),
    ("aws_secret_key", "aws_secret_access_key"),
    ("role-arn", "role_arn"),
    ("source-profile", "source_profile"),
    ("region_name", "region"),
    ("Role_Arn", "role_arn"),
    ("mfa_serial_number", "mfa_serial"),
    ("retrymode", "retry_mode"),
    ("colour", None),
])
def test_suggest_key(key: str, expected: str | None) -> None:
    assert suggest_key(key, catalog().key_names(PROFILE), catalog().aliases) == expected


@pytest.mark.parametrize("value", ["us-east-1", "eu-central-2", "cn-north-1", "us-gov-west-1", "eusc-de-east-1"])
def test_known_region_accepted(value: str) -> None:
    assert describe_region(value) is None


def test_region_data_read_without_botocore_import() -> None:
    script = (
        "import sys\n"
        "from awsdoctor.rules.setting_schema import region_data\n"
        "print('us-east-1' in region_data().regions, 'botocore' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert result.stdout == "True False\n"


# -- botocore and the AWS CLI as the oracle ------------------------------------------------


ClientFactory = Callable[..., Any]


@pytest.fixture
def create_client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ClientFactory:
    """Return a function that writes a config file and creates a botocore client from it (no call is made)."""
    for name in list(os.environ):
        if name.startswith(("AWS_", "BOTO")):
            monkeypatch.delenv(name)
    config = tmp_path / "config"
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")

    def create(text: str, service: str = "sts", endpoint: bool = True) -> Any:
        import botocore.session

        if endpoint:
            text = text.replace("[default]\n", f"[default]\nendpoint_url = {LOOPBACK}\n", 1)
        config.write_text(text)
        session = botocore.session.Session()
        return session.create_client(service, aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
                                     aws_secret_access_key="placeholder")

    return create


def test_botocore_retry_mode_case(create_client: ClientFactory) -> None:
    from botocore.exceptions import InvalidRetryModeError

    with pytest.raises(InvalidRetryModeError):
        create_client("[default]\nregion = us-east-1\nretry_mode = Standard\n")


def test_botocore_max_attempts_zero(create_client: ClientFactory) -> None:
    from botocore.exceptions import InvalidMaxRetryAttemptsError

    with pytest.raises(InvalidMaxRetryAttemptsError):
        create_client("[default]\nregion = us-east-1\nmax_attempts = 0\n")


def test_botocore_max_attempts_text(create_client: ClientFactory) -> None:
    with pytest.raises(ValueError, match="invalid literal for int"):
        create_client("[default]\nregion = us-east-1\nmax_attempts = three\n")


def test_botocore_sts_regional_endpoints_case(create_client: ClientFactory) -> None:
    from botocore.exceptions import InvalidSTSRegionalEndpointsConfigError

    with pytest.raises(InvalidSTSRegionalEndpointsConfigError):
        create_client("[default]\nregion = us-east-1\nsts_regional_endpoints = Regional\n")


def test_botocore_defaults_mode_unknown(create_client: ClientFactory) -> None:
    from botocore.exceptions import InvalidDefaultsMode

    with pytest.raises(InvalidDefaultsMode):
        create_client("[default]\nregion = us-east-1\ndefaults_mode = bogus\n")


def test_botocore_defaults_mode_any_case(create_client: ClientFactory) -> None:
    client = create_client("[default]\nregion = us-east-1\ndefaults_mode = Standard\n")
    assert client.meta.region_name == "us-east-1"


def test_botocore_region_format(create_client: ClientFactory) -> None:
    from botocore.exceptions import InvalidRegionError

    with pytest.raises(InvalidRegionError):
        create_client("[default]\nregion = us_east_1\n")


def test_botocore_accepts_zone_as_region(create_client: ClientFactory) -> None:
    client = create_client("[default]\nregion = us-east-1a\n")
    assert client.meta.region_name == "us-east-1a"


def test_botocore_services_missing(create_client: ClientFactory) -> None:
    from botocore.exceptions import InvalidConfigError

    expected = ('The profile is configured to use the services section but the "missing" services configuration '
                "does not exist.")
    with pytest.raises(InvalidConfigError) as raised:
        create_client("[default]\nregion = us-east-1\nservices = missing\n")
    assert str(raised.value) == expected


def test_botocore_parameter_validation_yes(create_client: ClientFactory) -> None:
    client = create_client("[default]\nregion = us-east-1\nparameter_validation = yes\n")
    assert type(client._serializer).__name__ != "ParamValidationDecorator"


def test_botocore_parameter_validation_true(create_client: ClientFactory) -> None:
    client = create_client("[default]\nregion = us-east-1\nparameter_validation = TRUE\n")
    assert type(client._serializer).__name__ == "ParamValidationDecorator"


def test_botocore_s3_scalar(create_client: ClientFactory) -> None:
    with pytest.raises(AttributeError):
        create_client("[default]\nregion = us-east-1\ns3 = path\n", service="s3")


def test_botocore_endpoint_without_scheme(create_client: ClientFactory) -> None:
    with pytest.raises(ValueError, match="Invalid endpoint: localhost:4566"):
        create_client("[default]\nregion = us-east-1\nendpoint_url = localhost:4566\n", endpoint=False)


def test_botocore_empty_ca_bundle(create_client: ClientFactory) -> None:
    import botocore
    from botocore.exceptions import InvalidConfigError

    config = "[default]\nregion = us-east-1\nca_bundle =\n"
    version = tuple(int(part) for part in botocore.__version__.split(".")[:3])
    if version >= (1, 43, 54):
        # From 1.43.54, endpoint.py _validate_verify_value rejects an empty bundle.
        with pytest.raises(InvalidConfigError, match="Invalid CA bundle"):
            create_client(config)
        return
    client = create_client(config)
    # Before that, URLLib3Session._setup_ssl_cert turns verification off when verify is falsy.
    assert client._endpoint.http_session._verify == ""


@pytest.mark.parametrize("value", ["yes", "1", "on"])
def test_botocore_boolean_false(value: str) -> None:
    from botocore.utils import ensure_boolean

    assert ensure_boolean(value) is False


def test_cli_v1_rejects_yaml_output() -> None:
    from awscli.formatter import get_formatter  # type: ignore[import-untyped]

    with pytest.raises(ValueError, match="Unknown output type: yaml"):
        get_formatter("yaml", argparse.Namespace(query=None, color="off"))


@pytest.mark.parametrize("value", catalog().scopes[PROFILE]["output"].tool_values["cli-v1"])
def test_cli_v1_accepts_declared_output(value: str) -> None:
    from awscli.formatter import get_formatter

    assert get_formatter(value, argparse.Namespace(query=None, color="off")) is not None


def test_schema_json_is_plain_file() -> None:
    path = Path(__file__).resolve().parents[2] / "rules" / "settings.schema.json"
    assert json.loads(path.read_text())["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("value", ["us_east_1", "us-east-1 # prod"])
def test_botocore_rejects_region_variable(value: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import botocore.session
    from botocore.exceptions import InvalidRegionError

    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "missing"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "missing"))
    monkeypatch.setenv("AWS_DEFAULT_REGION", value)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    session = botocore.session.Session()
    with pytest.raises(InvalidRegionError):
        session.create_client("sts", aws_access_key_id="AKIAEXAMPLE000000001", aws_secret_access_key="x")


def test_botocore_rejects_endpoint_variable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import botocore.session

    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "missing"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "missing"))
    monkeypatch.setenv("AWS_ENDPOINT_URL", "localhost:4566")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    session = botocore.session.Session()
    with pytest.raises(ValueError, match="Invalid endpoint"):
        session.create_client("sts", region_name="us-east-1", aws_access_key_id="AKIAEXAMPLE000000001",
                              aws_secret_access_key="x")
