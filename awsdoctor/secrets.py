"""Masking of credentials for every output: nothing here ever returns a secret."""

from __future__ import annotations

import re

KEY_ID_PREFIX_LENGTH = 4


def mask_key_id(key_id: str) -> str:
    """Show only the first four characters of an access key id (``AKIA****************``).

    The prefix tells a long-term key (AKIA) from a temporary one (ASIA);
    the rest would identify the key, so it is masked with one star per
    character.
    """
    key_id = key_id.strip()
    visible = key_id[:KEY_ID_PREFIX_LENGTH]
    return visible + "*" * max(len(key_id) - KEY_ID_PREFIX_LENGTH, 0)


# Prefixes of AWS unique ids and access key ids (IAM User Guide, "Unique ID
# prefixes"); 16 or more characters follow the prefix in a real id.
_KEY_ID_PATTERN = re.compile(
    r"\b(AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA|ASCA)([A-Z0-9]{12,})\b"
)
# The scheme is bounded (real ones are short): unbounded, every letter of a
# long value would start a scan to its end, and a megabyte value would take
# hours to redact.
_URL_PASSWORD = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]{0,31}://)(?P<user>[^:/@\s]*):[^@/\s]*@")
_SECRET_WORDS = ("secret", "token", "password", "passwd", "private_key")
_PATH_SUFFIXES = ("_file", "_path", "_dir", "_directory")


def is_secret_name(name: str) -> bool:
    """Return True for a key or variable name whose value must never be shown.

    Matches aws_secret_access_key, aws_session_token, AWS_BEARER_TOKEN_X and
    misspellings such as aws_secret_key, but not names of files that hold a
    token (web_identity_token_file, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE).
    """
    lowered = name.lower()
    if lowered.endswith(_PATH_SUFFIXES):
        return False
    return any(word in lowered for word in _SECRET_WORDS)


def is_key_id_name(name: str) -> bool:
    """Return True for a key or variable name that holds an access key id (masked when shown)."""
    lowered = name.lower().replace("-", "_")
    return "access_key" in lowered or "key_id" in lowered or "acces_key" in lowered


# A secret access key is 40 characters of base64's alphabet, and a session
# token a much longer run of it. Such a run pasted under any key (region,
# output, a misspelled name) is hidden when it mixes lower case, upper case
# and digits, which hex digests and ordinary words do not.
_SECRET_SHAPE = re.compile(r"(?<![A-Za-z0-9/+=])(?:[A-Za-z0-9/+]{40}|[A-Za-z0-9/+=]{100,})(?![A-Za-z0-9/+=])")
HIDDEN_SECRET = "(hidden: looks like a secret key or token)"


def _hide_secret_shape(match: re.Match[str]) -> str:
    token = match.group(0)
    if any(character.islower() for character in token) and any(character.isupper() for character in token) \
            and any(character.isdigit() for character in token):
        return HIDDEN_SECRET
    return token


def redact_text(text: str) -> str:
    """Mask access key ids, URL passwords and secret-shaped tokens inside free text, for values shown back."""
    text = _KEY_ID_PATTERN.sub(lambda match: mask_key_id(match.group(0)), text)
    text = _SECRET_SHAPE.sub(_hide_secret_shape, text)
    return _URL_PASSWORD.sub(lambda match: f"{match.group('scheme')}{match.group('user')}:****@", text)


def display_setting(name: str, value: str) -> str:
    """Return a key's or variable's value as it may be shown: hidden, masked, or redacted free text."""
    if is_secret_name(name):
        return "(hidden)"
    if is_key_id_name(name):
        return mask_key_id(value)
    return redact_text(value)


# Names under which AWS hands out credentials: STS and IMDS replies
# (AccessKeyId, SecretAccessKey, SessionToken, Token), credential_process
# output, the SSO portal (accessKeyId, secretAccessKey, sessionToken) and the
# SSO token cache (accessToken, refreshToken, clientSecret).
_CREDENTIAL_FIELD = (r"(?:aws_?)?(?:access_?key_?id|secret_?access_?key|session_?token|security_?token|"
                     r"access_?token|refresh_?token|client_?secret|token)")
# Compiled on first use: only a failed live check needs them, and compiling at
# import would slow down every run.
_CREDENTIAL_ELEMENT = rf"(<(?:[\w.-]+:)?{_CREDENTIAL_FIELD}(?:\s[^<>]*)?>)[^<]*"
_CREDENTIAL_STRING = (rf"""(?P<key>(["']){_CREDENTIAL_FIELD}\2\s*:\s*)"""
                      r"""(?P<quote>["'])(?:(?!(?P=quote))[^\\]|\\.)*(?P=quote)?""")
_CREDENTIAL_SETTING = r"\b(aws_secret_access_key|aws_session_token|aws_security_token)(\s*[=:]\s*)\S+"
HIDDEN = "(hidden)"


def hide_credential_fields(text: str) -> str:
    """Replace the values of credential fields in XML, JSON or Python-literal text with ``(hidden)``.

    ``<SecretAccessKey>abc</SecretAccessKey>`` becomes
    ``<SecretAccessKey>(hidden)</SecretAccessKey>`` and
    ``"SessionToken": "abc"`` becomes ``"SessionToken": "(hidden)"``; a value
    cut off before its closing tag or quote is hidden to the end of the text.
    """
    text = re.sub(_CREDENTIAL_ELEMENT, lambda match: match.group(1) + HIDDEN, text, flags=re.IGNORECASE)
    text = re.sub(_CREDENTIAL_STRING, lambda match: f"{match.group('key')}{match['quote']}{HIDDEN}{match['quote']}",
                  text, flags=re.IGNORECASE)
    return re.sub(_CREDENTIAL_SETTING, lambda match: f"{match.group(1)}{match.group(2)}{HIDDEN}", text,
                  flags=re.IGNORECASE)


def redact_error_text(text: str, limit: int = 400) -> str:
    """Return error text fit for a report: credentials hidden, key ids masked, one line, ``limit`` characters at most.

    Redaction runs before the cut, so a value split by the cut cannot escape it.
    """
    text = " ".join(redact_text(hide_credential_fields(text)).split())
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."
