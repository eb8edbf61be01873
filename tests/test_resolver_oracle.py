"""The resolver against botocore's own credential chain, case by case.

Each case writes a config file, a credentials file and environment variables
into a temporary HOME, then runs both awsdoctor's resolver and botocore's
``create_credential_resolver(session).load_credentials()``. The two must agree
on the provider that supplies credentials (or the exception and its message)
and on the region ``session.get_config_variable('region')`` returns. The cases
are a table of named setups, the fixture trees, and 200 random setups built
from fixed seeds out of the keys and variables that steer the chain.

botocore runs with ``AWS_EC2_METADATA_DISABLED=true`` and no proxy variables.
The instance metadata provider is patched to find nothing, the container
provider's HTTP request to return fake credentials (its token and host
checks still run), credential_process is never run, and the login provider reads a fake
token. Assume-role, SSO and web identity return deferred credentials whose
keys are never read, so no STS or SSO call is made. A socket guard fails any
test that tries to connect anywhere.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from awsdoctor.resolver import resolve
from awsdoctor.setup import load_setup

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

KEYS = "aws_access_key_id = AKIAEXAMPLE000000001\naws_secret_access_key = secret-one\n"
KEYS_2 = "aws_access_key_id = AKIAEXAMPLE000000002\naws_secret_access_key = secret-two\n"
ROLE = "role_arn = arn:aws:iam::123456789012:role/admin\n"
ROLE_2 = "role_arn = arn:aws:iam::123456789012:role/hub\n"
ENV_KEYS = {"AWS_ACCESS_KEY_ID": "AKIAEXAMPLE000000009", "AWS_SECRET_ACCESS_KEY": "secret-env"}
WEB_ENV = {"AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/web", "AWS_WEB_IDENTITY_TOKEN_FILE": "/tmp/token"}
SSO_LEGACY = ("sso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n"
              "sso_account_id = 123456789012\nsso_role_name = Admin\n")
SSO_SESSION = "[sso-session corp]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n"
SSO_WITH_SESSION = "sso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Admin\n"
IMDS_VARIABLES = {
    "AWS_METADATA_SERVICE_TIMEOUT": "1",
    "AWS_METADATA_SERVICE_NUM_ATTEMPTS": "1",
    "AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:9",
    "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "ipv4",
    "AWS_EC2_METADATA_V1_DISABLED": "false",
}


class Case(NamedTuple):
    """One generated setup: file texts, variables, an explicit profile, and the expected outcome.

    ``expect`` is the provider METHOD, an exception class name, or "none" when
    botocore finds no credentials; it pins what the case is meant to exercise.
    """

    name: str
    config: str | bytes | None
    credentials: str | bytes | None
    env: dict[str, str]
    profile: str | None
    expect: str


CASES = [
    # Environment provider and its removal by an explicit profile.
    Case("env-keys-beat-aws-profile", None, f"[p1]\n{KEYS}", {"AWS_PROFILE": "p1", **ENV_KEYS}, None, "env"),
    Case("explicit-profile-beats-env-keys", None, f"[p1]\n{KEYS}", ENV_KEYS, "p1", "shared-credentials-file"),
    Case("half-env-keys-ambient", None, f"[p]\n{KEYS}", {"AWS_PROFILE": "p", "AWS_ACCESS_KEY_ID": "AKIAX"}, None,
         "PartialCredentialsError"),
    Case("half-env-keys-explicit", None, f"[p]\n{KEYS}", {"AWS_ACCESS_KEY_ID": "AKIAX"}, "p",
         "shared-credentials-file"),
    Case("env-secret-empty", None, None, {"AWS_ACCESS_KEY_ID": "AKIAX", "AWS_SECRET_ACCESS_KEY": ""}, None,
         "PartialCredentialsError"),
    Case("env-key-empty-falls-through", None, f"[default]\n{KEYS}",
         {"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "s"}, None, "shared-credentials-file"),
    Case("env-secret-without-key", None, None, {"AWS_SECRET_ACCESS_KEY": "s"}, None, "none"),
    Case("env-security-token", None, None, {**ENV_KEYS, "AWS_SECURITY_TOKEN": "old", "AWS_SESSION_TOKEN": "new"},
         None, "env"),
    Case("env-expiration-unparsable", None, None, {**ENV_KEYS, "AWS_CREDENTIAL_EXPIRATION": "tomorrow-ish"}, None,
         "ParserError"),
    Case("env-expiration-past", None, None, {**ENV_KEYS, "AWS_CREDENTIAL_EXPIRATION": "2001-01-01T00:00:00Z"},
         None, "env"),
    Case("env-expiration-empty", None, None, {**ENV_KEYS, "AWS_CREDENTIAL_EXPIRATION": ""}, None, "env"),
    Case("env-asia-without-token", None, None,
         {"AWS_ACCESS_KEY_ID": "ASIAEXAMPLE000000001", "AWS_SECRET_ACCESS_KEY": "s"}, None, "env"),
    Case("web-identity-env-ambient", None, f"[base]\n{KEYS}", {"AWS_PROFILE": "base", **WEB_ENV}, None,
         "assume-role-with-web-identity"),
    Case("web-identity-env-explicit", None, f"[base]\n{KEYS}", WEB_ENV, "base", "shared-credentials-file"),
    Case("role-profile-beats-env-web-identity", f"[profile r]\n{ROLE}source_profile = base\n", f"[base]\n{KEYS}",
         {"AWS_PROFILE": "r", **WEB_ENV}, None, "assume-role"),
    Case("web-identity-env-without-role", None, None, {"AWS_WEB_IDENTITY_TOKEN_FILE": "/tmp/token"}, None,
         "InvalidConfigError"),
    Case("web-identity-env-empty-hides-profile", "[default]\nweb_identity_token_file = /tmp/t\n" + ROLE, None,
         {"AWS_WEB_IDENTITY_TOKEN_FILE": ""}, None, "none"),
    Case("web-identity-profile", "[profile w]\nweb_identity_token_file = /tmp/t\n" + ROLE, None, {}, "w",
         "assume-role-with-web-identity"),
    Case("web-identity-env-role-arn-empty", "[default]\nweb_identity_token_file = /tmp/t\n" + ROLE, None,
         {"AWS_ROLE_ARN": ""}, None, "InvalidConfigError"),
    # Several credential kinds in one profile.
    Case("role-beats-own-keys", f"[profile a]\n{KEYS}{ROLE}source_profile = base\n", f"[base]\n{KEYS_2}", {}, "a",
         "assume-role"),
    Case("role-with-keys-no-source", f"[profile a]\n{ROLE}{KEYS}", None, {}, "a", "PartialCredentialsError"),
    Case("role-with-process-no-source", f"[profile a]\n{ROLE}credential_process = /bin/true\n", None, {}, "a",
         "PartialCredentialsError"),
    Case("role-with-sso-no-source", f"[profile a]\n{ROLE}{SSO_LEGACY}", None, {}, "a", "PartialCredentialsError"),
    Case("web-identity-ignores-source-profile",
         f"[profile a]\n{ROLE}web_identity_token_file = /tmp/t\nsource_profile = base\n", f"[base]\n{KEYS}", {}, "a",
         "assume-role-with-web-identity"),
    Case("sso-beats-keys", f"[profile a]\n{SSO_LEGACY}{KEYS}", None, {}, "a", "sso"),
    Case("process-beats-config-keys", f"[profile a]\ncredential_process = /bin/true\n{KEYS}", None, {}, "a",
         "custom-process"),
    Case("credentials-keys-beat-process", "[profile a]\ncredential_process = /bin/true\n", f"[a]\n{KEYS}", {}, "a",
         "shared-credentials-file"),
    Case("credentials-keys-beat-login", "[profile a]\nlogin_session = arn:aws:iam::123456789012:user/a\n",
         f"[a]\n{KEYS}", {}, "a", "shared-credentials-file"),
    Case("login-session", "[profile a]\nlogin_session = arn:aws:iam::123456789012:user/a\n", None, {}, "a", "login"),
    Case("process-only", "[default]\ncredential_process = /bin/true --profile 'x y'\n", None, {}, None,
         "custom-process"),
    Case("process-unbalanced-quote", "[default]\ncredential_process = /bin/true --name 'x\n", None, {}, None,
         "ValueError"),
    Case("source-profile-process-unbalanced-quote", f"[profile a]\n{ROLE}source_profile = p\n"
         "[profile p]\ncredential_process = /bin/true \"x\n", None, {}, "a", "ValueError"),
    Case("config-keys-only", f"[default]\n{KEYS}", None, {}, None, "config-file"),
    # Partial or suspicious static keys.
    Case("secret-only", "[default]\naws_secret_access_key = s\n", None, {}, None, "none"),
    Case("key-id-only-in-config", "[default]\naws_access_key_id = AKIAX\n", None, {}, None,
         "PartialCredentialsError"),
    Case("key-id-only-in-credentials", None, "[default]\naws_access_key_id = AKIAX\n", {}, None,
         "PartialCredentialsError"),
    Case("keys-split-across-files", "[default]\naws_secret_access_key = s\n", "[default]\naws_access_key_id = AKIAX\n",
         {}, None, "PartialCredentialsError"),
    Case("secret-in-credentials-keys-in-config", f"[default]\n{KEYS}", "[default]\naws_secret_access_key = s\n", {},
         None, "config-file"),
    Case("token-in-other-file", "[default]\naws_session_token = t\n", f"[default]\n{KEYS}", {}, None,
         "shared-credentials-file"),
    Case("empty-key-id", None, "[default]\naws_access_key_id =\naws_secret_access_key = s\n", {}, None,
         "shared-credentials-file"),
    # source_profile and credential_source.
    Case("both-sources", f"[profile a]\n{ROLE}source_profile = b\ncredential_source = Environment\n",
         f"[b]\n{KEYS}", {}, "a", "InvalidConfigError"),
    Case("role-without-source", f"[profile a]\n{ROLE}", None, {}, "a", "PartialCredentialsError"),
    Case("credential-source-wrong-case", f"[profile a]\n{ROLE}credential_source = Ec2InstanceMetaData\n", None, {},
         "a", "InvalidConfigError"),
    Case("credential-source-lower-case", f"[profile a]\n{ROLE}credential_source = environment\n", None, {}, "a",
         "InvalidConfigError"),
    Case("credential-source-empty", f"[profile a]\n{ROLE}credential_source =\n", None, {}, "a",
         "InvalidConfigError"),
    Case("source-profile-missing", f"[profile a]\n{ROLE}source_profile = nobody\n", None, {}, "a",
         "InvalidConfigError"),
    Case("source-profile-without-credentials", f"[profile a]\n{ROLE}source_profile = b\n[profile b]\nregion = x\n",
         None, {}, "a", "InvalidConfigError"),
    Case("credential-source-environment-unset", f"[profile a]\n{ROLE}credential_source = Environment\n", None, {},
         "a", "CredentialRetrievalError"),
    Case("credential-source-environment-explicit", f"[profile a]\n{ROLE}credential_source = Environment\n", None,
         ENV_KEYS, "a", "assume-role"),
    Case("credential-source-environment-ambient", f"[profile a]\n{ROLE}credential_source = Environment\n", None,
         {"AWS_PROFILE": "a", **ENV_KEYS}, None, "env"),
    Case("credential-source-environment-partial", f"[profile a]\n{ROLE}credential_source = Environment\n", None,
         {"AWS_ACCESS_KEY_ID": "AKIAX"}, "a", "PartialCredentialsError"),
    Case("credential-source-imds-disabled", f"[profile a]\n{ROLE}credential_source = Ec2InstanceMetadata\n", None,
         {}, "a", "CredentialRetrievalError"),
    Case("credential-source-container-set", f"[profile a]\n{ROLE}credential_source = EcsContainer\n", None,
         {"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/x"}, "a", "assume-role"),
    Case("credential-source-container-unset", f"[profile a]\n{ROLE}credential_source = EcsContainer\n", None, {},
         "a", "CredentialRetrievalError"),
    # Chaining, self-reference and cycles.
    Case("two-hop-chain", f"[profile c1]\n{ROLE}source_profile = c2\n[profile c2]\n{ROLE_2}source_profile = base\n",
         f"[base]\n{KEYS}", {}, "c1", "assume-role"),
    Case("source-keys-beat-source-role", f"[profile top]\n{ROLE}source_profile = mid\n"
         f"[profile mid]\n{ROLE_2}source_profile = nobody\n{KEYS}", None, {}, "top", "assume-role"),
    Case("source-profile-process",
         f"[profile a]\n{ROLE}source_profile = p\n[profile p]\ncredential_process = /bin/true\n",
         None, {}, "a", "assume-role"),
    Case("source-profile-sso", f"[profile a]\n{ROLE}source_profile = s\n[profile s]\n{SSO_LEGACY}", None, {}, "a",
         "assume-role"),
    Case("source-profile-in-credentials-only", f"[profile a]\n{ROLE}source_profile = base\n", f"[base]\n{KEYS}", {},
         "a", "assume-role"),
    Case("self-reference-with-keys", f"[profile self]\n{ROLE}source_profile = self\n{KEYS}", None, {}, "self",
         "assume-role"),
    Case("self-reference-without-keys", f"[profile self]\n{ROLE}source_profile = self\n", None, {}, "self",
         "InfiniteLoopConfigError"),
    Case("two-profile-cycle", f"[profile la]\n{ROLE}source_profile = lb\n[profile lb]\n{ROLE_2}source_profile = la\n",
         None, {}, "la", "InfiniteLoopConfigError"),
    Case("three-profile-cycle", f"[profile x]\n{ROLE}source_profile = y\n[profile y]\n{ROLE}source_profile = z\n"
         f"[profile z]\n{ROLE}source_profile = x\n", None, {}, "x", "InfiniteLoopConfigError"),
    Case("source-profile-partial-keys", f"[profile a]\n{ROLE}source_profile = b\n", "[b]\naws_access_key_id = AKIAX\n",
         {}, "a", "PartialCredentialsError"),
    Case("source-profile-without-prefix", f"[profile a]\n{ROLE}source_profile = dev\n[dev]\n{KEYS}", None, {}, "a",
         "InvalidConfigError"),
    Case("source-profile-sso-incomplete", f"[profile a]\n{ROLE}source_profile = s\n[profile s]\nsso_role_name = R\n",
         None, {}, "a", "InvalidConfigError"),
    Case("source-profile-web-identity", f"[profile a]\n{ROLE}source_profile = w\n"
         f"[profile w]\n{ROLE_2}web_identity_token_file = /tmp/t\n", None, {}, "a", "assume-role"),
    Case("chain-through-env-disabled-source", f"[profile a]\n{ROLE}source_profile = b\n[profile b]\nregion = x\n",
         None, ENV_KEYS, "a", "InvalidConfigError"),
    # SSO.
    Case("sso-token-only", "[profile s]\nsso_session = corp\n" + SSO_SESSION, None, {}, "s", "none"),
    Case("sso-legacy-incomplete", "[profile s]\nsso_account_id = 123456789012\n", None, {}, "s", "InvalidConfigError"),
    Case("sso-session-form", f"[profile s]\n{SSO_WITH_SESSION}{SSO_SESSION}", None, {}, "s", "sso"),
    Case("sso-session-unknown", "[profile s]\nsso_session = nope\nsso_account_id = 1\nsso_role_name = R\n", None, {},
         "s", "InvalidConfigError"),
    Case("sso-region-inconsistent", f"[profile s]\n{SSO_WITH_SESSION}sso_region = eu-west-1\n{SSO_SESSION}", None,
         {}, "s", "InvalidConfigError"),
    Case("sso-region-equal", f"[profile s]\n{SSO_WITH_SESSION}sso_region = us-east-1\n{SSO_SESSION}", None, {}, "s",
         "sso"),
    Case("sso-session-without-start-url", f"[profile s]\n{SSO_WITH_SESSION}[sso-session corp]\nsso_region = x\n",
         None, {}, "s", "InvalidConfigError"),
    Case("sso-session-without-role", "[profile s]\nsso_session = corp\nsso_account_id = 1\n" + SSO_SESSION, None, {},
         "s", "InvalidConfigError"),
    # Selection and environment.
    Case("empty-aws-profile", f"[default]\n{KEYS}", None, {"AWS_PROFILE": ""}, None, "ProfileNotFound"),
    Case("aws-profile-default-missing", "[profile x]\nregion = a\n", None, {"AWS_PROFILE": "default"}, None,
         "ProfileNotFound"),
    Case("nothing-selected-no-default", "[profile x]\nregion = a\n", None, {}, None, "none"),
    Case("default-profile-beats-aws-profile", None, f"[a]\n{KEYS}[b]\n{KEYS_2}",
         {"AWS_DEFAULT_PROFILE": "a", "AWS_PROFILE": "nope"}, None, "shared-credentials-file"),
    Case("config-file-typo", None, f"[x]\n{KEYS}", {"AWS_CONFIG_FILE": "{home}/.aws/cofnig", "AWS_PROFILE": "dev"},
         None, "ProfileNotFound"),
    Case("config-file-is-directory", None, None, {"AWS_CONFIG_FILE": "{home}/.aws"}, None, "none"),
    Case("aws-region-ignored", f"[default]\nregion = us-east-1\n{KEYS}", None, {"AWS_REGION": "eu-west-1"}, None,
         "config-file"),
    Case("default-region-wins", f"[default]\nregion = us-east-1\n{KEYS}", None, {"AWS_DEFAULT_REGION": "eu-west-2"},
         None, "config-file"),
    Case("default-region-empty", f"[default]\nregion = us-east-1\n{KEYS}", None, {"AWS_DEFAULT_REGION": ""}, None,
         "config-file"),
    Case("missing-profile-bypassed-by-imds-variables", None, None,
         {"AWS_PROFILE": "nope", **ENV_KEYS, **IMDS_VARIABLES}, None, "env"),
    Case("imds-endpoint-mode-invalid", f"[default]\n{KEYS}", None, {"AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "ipv5"},
         None, "InvalidIMDSEndpointModeError"),
    Case("imds-endpoint-mode-in-profile", f"[default]\nec2_metadata_service_endpoint_mode = IPv7\n{KEYS}", None, {},
         None, "InvalidIMDSEndpointModeError"),
    Case("container-uri", None, None, {"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:9/creds"}, None,
         "container-role"),
    Case("container-uri-https", None, None, {"AWS_CONTAINER_CREDENTIALS_FULL_URI": "https://creds.example.com/x"},
         None, "container-role"),
    Case("container-uri-eks-host", None, None,
         {"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://169.254.170.23/v1/credentials"}, None, "container-role"),
    Case("container-uri-ipv6-loopback", None, None, {"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://[::1]:9/creds"},
         None, "container-role"),
    Case("container-uri-plain-http-host", None, None,
         {"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://creds.example.com/x"}, None, "ValueError"),
    Case("container-uri-not-a-url", None, None, {"AWS_CONTAINER_CREDENTIALS_FULL_URI": "creds"}, None, "ValueError"),
    Case("container-relative-uri-redirect", None, None,
         {"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "@creds.example.com/x"}, None, "ValueError"),
    Case("container-relative-beats-full", None, None, {"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/x",
                                                       "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://bad.example/x"},
         None, "container-role"),
    Case("container-token-newline", None, None, {"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/x",
                                                 "AWS_CONTAINER_AUTHORIZATION_TOKEN": "a\nb"}, None, "ValueError"),
    Case("credential-source-container-bad-host", f"[profile a]\n{ROLE}credential_source = EcsContainer\n", None,
         {"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://creds.example.com/x"}, "a", "ValueError"),
    # File syntax.
    Case("inline-comment-in-region", f"[default]\nregion = us-east-1 # prod\n{KEYS}", None, {}, None, "config-file"),
    Case("duplicate-section-config", f"[default]\nregion = a\n[default]\n{KEYS}", None, {}, None, "ConfigParseError"),
    Case("duplicate-key-credentials", None, f"[default]\n{KEYS}aws_access_key_id = AKIAY\n", {}, None,
         "ConfigParseError"),
    Case("bom-in-config", b"\xef\xbb\xbf[default]\nregion = a\n", f"[default]\n{KEYS}", {}, None, "ConfigParseError"),
    Case("latin1-in-comment", b"# caf\xe9\n[default]\nregion = a\n", None, {}, None, "ConfigParseError"),
    Case("both-files-broken", "[default]\noutput\n", "[default]\nregion\n", {}, None, "ConfigParseError"),
    Case("broken-files-bypassed-by-env", "[default]\noutput\n", None, {**ENV_KEYS, **IMDS_VARIABLES}, None, "env"),
    Case("default-section-role-leak", f"[DEFAULT]\n{ROLE}[profile a]\n{KEYS}", None, {}, "a",
         "PartialCredentialsError"),
    Case("missing-prefix-in-config", f"[dev]\n{KEYS}", None, {"AWS_PROFILE": "dev"}, None, "ProfileNotFound"),
    Case("prefix-in-credentials", None, f"[profile dev]\n{KEYS}", {}, "dev", "ProfileNotFound"),
    Case("prefix-in-credentials-literal", None, f"[profile dev]\n{KEYS}", {}, "profile dev",
         "shared-credentials-file"),
    Case("profile-default-after-default", f"[default]\nregion = a\n[profile default]\nregion = b\n{KEYS}", None, {},
         None, "config-file"),
    Case("default-after-profile-default", f"[profile default]\nregion = b\n{KEYS}[default]\nregion = a\n", None, {},
         None, "none"),
    Case("quoted-profile-name", f"[profile \"my dev\"]\n{KEYS}", None, {"AWS_PROFILE": "my dev"}, None, "config-file"),
    Case("unquoted-space-profile-dropped", f"[profile my dev]\n{KEYS}", None, {}, "my dev", "ProfileNotFound"),
    Case("quoted-region", f"[default]\nregion = \"us-east-1\"\n{KEYS}", None, {}, None, "config-file"),
    Case("profile-name-case-sensitive", f"[profile dev]\n{KEYS}", None, {"AWS_PROFILE": "Dev"}, None,
         "ProfileNotFound"),
    Case("header-glued-to-value", f"[default]\nregion = eu-west-1[new]\n{KEYS}", None, {"AWS_PROFILE": "new"}, None,
         "ProfileNotFound"),
    Case("bare-profile-header-dropped", f"[profile]\n{KEYS}[ profile dev ]\n{KEYS}", None, {}, None, "none"),
    Case("default-section-into-sso-session", f"[DEFAULT]\nsso_region = eu-west-1\n[profile s]\n{SSO_WITH_SESSION}"
         f"[sso-session corp]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n", None, {},
         "s", "InvalidConfigError"),
    Case("indented-line-continues", f"[default]\nregion = us-east-1\n  output = json\n{KEYS}", None, {}, None,
         "config-file"),
    # Merging config and credentials files.
    Case("region-from-credentials-file", "[default]\nregion = us-west-2\n", f"[default]\nregion = ap-south-1\n{KEYS}",
         {}, None, "shared-credentials-file"),
    Case("role-in-credentials-file", None, f"[a]\n{ROLE}source_profile = b\n[b]\n{KEYS}", {}, "a", "assume-role"),
    Case("credentials-file-default-section", None, f"[DEFAULT]\nregion = eu-north-1\n[x]\n{KEYS}", {}, "x",
         "shared-credentials-file"),
]


# Building blocks for the random setups: profile names, keys and the values that matter to the chain.
RANDOM_NAMES = ("default", "a", "b", "c")
RANDOM_VALUES: dict[str, tuple[str, ...]] = {
    "role_arn": ("arn:aws:iam::123456789012:role/r",),
    "source_profile": (*RANDOM_NAMES, "missing"),
    "credential_source": ("Environment", "EcsContainer", "Ec2InstanceMetadata", "environment"),
    "credential_process": ("/bin/true",),
    "sso_account_id": ("123456789012",),
    "sso_role_name": ("Admin",),
    "sso_start_url": ("https://example.awsapps.com/start",),
    "sso_region": ("us-east-1", "eu-west-1"),
    "sso_session": ("corp", "nope"),
    "web_identity_token_file": ("/tmp/token",),
    "login_session": ("arn:aws:iam::123456789012:user/a",),
    "region": ("us-east-1", "eu-west-1"),
    "aws_session_token": ("token",),
    "aws_access_key_id": ("AKIAEXAMPLE000000001",),
    "aws_secret_access_key": ("secret",),
}
RANDOM_VARIABLES: dict[str, tuple[str, ...]] = {
    "AWS_PROFILE": (*RANDOM_NAMES, "", "missing"),
    "AWS_DEFAULT_PROFILE": RANDOM_NAMES,
    "AWS_ACCESS_KEY_ID": ("AKIAEXAMPLE000000009", ""),
    "AWS_SECRET_ACCESS_KEY": ("secret-env", ""),
    "AWS_ROLE_ARN": ("arn:aws:iam::123456789012:role/web", ""),
    "AWS_WEB_IDENTITY_TOKEN_FILE": ("/tmp/token", ""),
    "AWS_DEFAULT_REGION": ("ap-east-1",),
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": ("/v2/credentials/x",),
}


def random_file(rng: random.Random, config: bool) -> str:
    """Return a config or credentials file of up to four profiles with random chain-relevant keys."""
    text = ""
    if rng.random() < 0.1:
        key = rng.choice(list(RANDOM_VALUES))
        text += f"[DEFAULT]\n{key} = {rng.choice(RANDOM_VALUES[key])}\n"
    for name in rng.sample(RANDOM_NAMES, rng.randint(0, len(RANDOM_NAMES))):
        header = f"profile {name}" if config and name != "default" else name
        keys = set(rng.sample(list(RANDOM_VALUES), rng.randint(0, 5)))
        if rng.random() < 0.4:
            keys |= {"aws_access_key_id", "aws_secret_access_key"}
        text += f"[{header}]\n" + "".join(f"{key} = {rng.choice(RANDOM_VALUES[key])}\n" for key in sorted(keys))
    if config and rng.random() < 0.3:
        text += f"[sso-session corp]\nsso_start_url = https://example.awsapps.com/start\n" \
                f"sso_region = {rng.choice(RANDOM_VALUES['sso_region'])}\n"
    return text


def random_case(seed: int) -> Case:
    rng = random.Random(seed)
    config = random_file(rng, config=True)
    credentials = random_file(rng, config=False)
    env = {name: rng.choice(values) for name, values in RANDOM_VARIABLES.items() if rng.random() < 0.2}
    profile = rng.choice((None, None, *RANDOM_NAMES))
    return Case(f"random-{seed}", config, credentials, env, profile, "")


@dataclass
class Outcome:
    method: str | None
    error: tuple[str, str] | None
    region: Any = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        if self.error is not None:
            return self.error[0]
        return self.method or "none"


@dataclass
class Tree:
    """A temporary root with HOME, the case's files and its environment."""

    root: Path
    env: dict[str, str]
    profile: str | None


@pytest.fixture(autouse=True)
def socket_guard(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Fail the test if anything tries to open a connection, even if the caller swallows the error."""
    attempts: list[object] = []

    def reject_connect(self: socket.socket, address: object, *args: object) -> None:
        attempts.append(address)
        raise AssertionError(f"network access attempted: {address!r}")

    def reject_create_connection(address: object, *args: object, **kwargs: object) -> socket.socket:
        attempts.append(address)
        raise AssertionError(f"network access attempted: {address!r}")

    monkeypatch.setattr(socket.socket, "connect", reject_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", reject_connect)
    monkeypatch.setattr(socket, "create_connection", reject_create_connection)
    yield attempts
    assert attempts == []


def write_case(root: Path, case: Case) -> Tree:
    home = root / "home"
    aws = home / ".aws"
    aws.mkdir(parents=True)
    for path, content in ((aws / "config", case.config), (aws / "credentials", case.credentials)):
        if content is not None:
            path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    env = {key: value.replace("{home}", str(home)) for key, value in case.env.items()}
    return Tree(root, env, case.profile)


def copy_tree(root: Path, directory: Path) -> Tree:
    """Lay out a fixture tree (grade.json or case.json: setup.files, setup.env, args) under ``root``."""
    spec_path = directory / "grade.json"
    if not spec_path.exists():
        spec_path = directory / "case.json"
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    home = root / "home"
    (home / ".aws").mkdir(parents=True)
    for target, source in spec["setup"].get("files", {}).items():
        destination = home / target.removeprefix("~/")
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(directory / source, destination)
    env = {key: value.replace("{home}", str(home)) for key, value in spec["setup"].get("env", {}).items()}
    args = spec.get("args", [])
    profile = args[args.index("--profile") + 1] if "--profile" in args else None
    return Tree(root, env, profile)


def full_env(tree: Tree) -> dict[str, str]:
    home = tree.root / "home"
    env = {
        "HOME": str(home),
        "AWS_CONFIG_FILE": str(home / ".aws" / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / ".aws" / "credentials"),
    }
    env.update(tree.env)
    env["AWS_EC2_METADATA_DISABLED"] = "true"
    return env


def model_outcome(tree: Tree) -> Outcome:
    setup = load_setup(full_env(tree), profile=tree.profile, cwd=str(tree.root))
    resolution = resolve(setup)
    return Outcome(resolution.method, resolution.error_tuple, resolution.region.value)


def botocore_outcome(tree: Tree, monkeypatch: pytest.MonkeyPatch) -> Outcome:
    """Run botocore's own chain on the tree with every network provider and process replaced."""
    import botocore.compat
    import botocore.credentials
    import botocore.exceptions
    import botocore.session
    import botocore.utils

    for name in list(os.environ):
        monkeypatch.delenv(name)
    for name, value in full_env(tree).items():
        monkeypatch.setenv(name, value)

    def container_response(self: object, full_url: str, extra_headers: object = None) -> dict[str, str]:
        # Replaces only the HTTP request: the token and host checks before it still run.
        return {"AccessKeyId": "AKIAFAKECONTAINER", "SecretAccessKey": "fake", "Token": "fake",
                "Expiration": "2100-01-01T00:00:00Z"}

    def process_credentials(self: object, command: str) -> dict[str, Any]:
        # Split the command as botocore does before Popen, so a quoting error still raises, and fail
        # as Popen does for a program that is not there; nothing is ever started.
        words = botocore.compat.compat_shell_split(command)
        if words and shutil.which(words[0]) is None:
            raise FileNotFoundError(2, "No such file or directory", words[0])
        return {"access_key": "AKIAFAKEPROCESS", "secret_key": "fake", "token": None, "expiry_time": None}

    def login_credentials(self: object) -> dict[str, Any]:
        return {"access_key": "AKIAFAKELOGIN", "secret_key": "fake", "token": "fake",
                "expiry_time": "2100-01-01T00:00:00Z", "account_id": "123456789012"}

    monkeypatch.setattr(botocore.utils.ContainerMetadataFetcher, "_retrieve_credentials", container_response)
    monkeypatch.setattr(botocore.credentials.InstanceMetadataProvider, "load", lambda self: None)
    monkeypatch.setattr(botocore.credentials.ProcessProvider, "_retrieve_credentials_using", process_credentials)
    # The login provider needs botocore[crt]; any object replaces its EC module.
    monkeypatch.setattr(botocore.credentials, "EC", object())
    monkeypatch.setattr(botocore.credentials.LoginCredentialFetcher, "load_cached_credentials", login_credentials)

    session = botocore.session.Session()
    if tree.profile is not None:
        session.set_config_variable("profile", tree.profile)
    method: str | None = None
    error: tuple[str, str] | None = None
    try:
        resolver = botocore.credentials.create_credential_resolver(session)
        credentials = resolver.load_credentials()
        method = None if credentials is None else credentials.method
    except (botocore.exceptions.BotoCoreError, ValueError, OverflowError, OSError) as raised:
        # ValueError: an unsplittable credential_process command or an unparsable AWS_CREDENTIAL_EXPIRATION;
        # OSError: a credential_process program that is not there.
        error = (type(raised).__name__, str(raised))
    # A fresh session: a failed credentials-file parse leaves the first session's config half loaded.
    region_session = botocore.session.Session()
    if tree.profile is not None:
        region_session.set_config_variable("profile", tree.profile)
    try:
        region = region_session.get_config_variable("region")
    except botocore.exceptions.BotoCoreError:
        region = None
    return Outcome(method, error, region)


def fixture_trees() -> list[Path]:
    trees = sorted(path for path in (FIXTURES / "cases").glob("*/") if (path / "grade.json").exists())
    trees += sorted(path for path in (FIXTURES / "resolver").glob("*/") if (path / "case.json").exists())
    return trees


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_generated_case(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tree = write_case(tmp_path, case)
    model = model_outcome(tree)
    expected = botocore_outcome(tree, monkeypatch)
    assert expected.kind == case.expect
    assert model.method == expected.method
    assert model.error == expected.error
    assert model.region == expected.region


@pytest.mark.parametrize("directory", fixture_trees(), ids=lambda path: path.name)
def test_fixture_tree(directory: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tree = copy_tree(tmp_path, directory)
    model = model_outcome(tree)
    expected = botocore_outcome(tree, monkeypatch)
    assert model.method == expected.method
    assert model.error == expected.error
    assert model.region == expected.region


@pytest.mark.parametrize("seed", range(200))
def test_random_setup(seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tree = write_case(tmp_path, random_case(seed))
    model = model_outcome(tree)
    expected = botocore_outcome(tree, monkeypatch)
    assert model.method == expected.method
    assert model.error == expected.error
    assert model.region == expected.region


def test_case_table_size() -> None:
    assert len(CASES) >= 60


def test_socket_guard_rejects(socket_guard: list[object]) -> None:
    with socket.socket() as probe, pytest.raises(AssertionError):
        probe.connect(("127.0.0.1", 9))
    assert socket_guard == [("127.0.0.1", 9)]
    socket_guard.clear()
