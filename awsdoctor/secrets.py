"""Masking of credentials for every output: nothing here ever returns a secret."""

from __future__ import annotations

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
