"""Splitting of credential_process command lines, as botocore does it on Linux and macOS."""

from __future__ import annotations

import functools
import shlex


@functools.lru_cache(maxsize=4096)
def split_command(command: str) -> tuple[str, ...] | None:
    """Split a command line with ``shlex.split``, which is botocore's ``compat_shell_split`` on POSIX.

    Returns None where shlex raises ValueError (an unclosed quote). Results
    are cached: thousands of profiles often share one credential_process.
    """
    try:
        return tuple(shlex.split(command))
    except ValueError:
        return None
