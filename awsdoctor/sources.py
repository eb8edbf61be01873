"""Read the config and credentials files from disk without ever raising.

botocore silently treats a missing file, a directory, an empty
``AWS_CONFIG_FILE`` and a file it cannot open as empty
(``raw_config_parse`` checks ``os.path.isfile`` and ``configparser.read``
skips files it cannot open), but rejects undecodable bytes and a UTF-8
byte-order mark with ``ConfigParseError``. :func:`read_source` records each of
these as a status or a problem so that rules can name which one it was.
"""

from __future__ import annotations

import enum
import os
import pwd
import re
import stat
from collections.abc import Mapping
from typing import NamedTuple

from awsdoctor.ini import BOM, DECODE, NUL, UTF16, ZERO_FILLED, IniDocument, Problem, parse_text

# botocore would parse any size, but a file this large is not a hand-written
# AWS configuration; reading it would only make a pre-commit hook hang.
MAX_FILE_BYTES = 10 * 1024 * 1024

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = {b"\xff\xfe": "UTF-16 little-endian", b"\xfe\xff": "UTF-16 big-endian"}


class FileStatus(enum.Enum):
    """The kind of object found at a file's path, or why it could not be read."""

    OK = "ok"
    MISSING = "missing"
    DIRECTORY = "directory"
    NOT_A_FILE = "not-a-file"
    BROKEN_SYMLINK = "broken-symlink"
    UNREADABLE = "unreadable"
    TOO_LARGE = "too-large"
    EMPTY_PATH = "empty-path"


class SourceFile(NamedTuple):
    """One config or credentials file: where it is, what was there, and its parse.

    ``detail`` explains a status in words: the OS error text (``Permission
    denied``, ``Too many levels of symbolic links``) or, for a dangling link,
    which target is missing.
    """

    kind: str
    path: str
    display: str
    origin: str
    status: FileStatus
    detail: str | None = None
    document: IniDocument | None = None
    size: int | None = None
    mode: int | None = None
    uid: int | None = None
    mtime: float | None = None

    @property
    def readable(self) -> bool:
        return self.document is not None


_VARIABLE = re.compile(r"\$(\w+|\{[^}]*\})", re.ASCII)


def expand_vars(path: str, env: Mapping[str, str]) -> str:
    """Expand ``$NAME`` and ``${NAME}`` from ``env`` as ``posixpath.expandvars`` does from os.environ."""
    if "$" not in path:
        return path

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.startswith("{"):
            name = name[1:-1]
        return env.get(name, match.group(0))

    return _VARIABLE.sub(substitute, path)


def expand_user(path: str, env: Mapping[str, str]) -> str:
    """Expand a leading ``~`` or ``~user`` as ``posixpath.expanduser`` does, with HOME from ``env``."""
    if not path.startswith("~"):
        return path
    slash = path.find("/", 1)
    if slash < 0:
        slash = len(path)
    user = path[1:slash]
    if not user:
        home = env.get("HOME")
        if home is None:
            try:
                home = pwd.getpwuid(os.getuid()).pw_dir
            except KeyError:
                return path
    else:
        try:
            home = pwd.getpwnam(user).pw_dir
        except KeyError:
            return path
    home = home.rstrip("/") or "/"
    return (home + path[slash:]) or "/"


def resolve_path(raw: str, env: Mapping[str, str], cwd: str) -> str:
    """Return the absolute path botocore would open for ``raw`` (variables first, then ``~``)."""
    expanded = expand_user(expand_vars(raw, env), env)
    return os.path.normpath(os.path.join(cwd, expanded))


def display_path(path: str, env: Mapping[str, str]) -> str:
    """Return ``path`` with the home directory written as ``~`` for messages."""
    home = env.get("HOME")
    if home:
        home = home.rstrip("/")
        if path == home:
            return "~"
        if home and path.startswith(home + "/"):
            return "~" + path[len(home):]
    return path


def read_source(kind: str, path: str, display: str, origin: str) -> SourceFile:
    """Stat, read, decode and parse one file; every failure becomes a status, never an exception."""
    base = SourceFile(kind=kind, path=path, display=display, origin=origin, status=FileStatus.OK)
    if not path:
        return base._replace(status=FileStatus.EMPTY_PATH)

    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            target = _link_target(path)
            detail = None if target is None else f"its target {target} does not exist"
            return base._replace(status=FileStatus.BROKEN_SYMLINK, detail=detail)
        return base._replace(status=FileStatus.MISSING)
    except OSError as error:
        if os.path.islink(path):
            return base._replace(status=FileStatus.BROKEN_SYMLINK, detail=error.strerror)
        return base._replace(status=FileStatus.UNREADABLE, detail=error.strerror)

    base = base._replace(size=info.st_size, mode=stat.S_IMODE(info.st_mode), uid=info.st_uid,
                            mtime=info.st_mtime)
    if stat.S_ISDIR(info.st_mode):
        return base._replace(status=FileStatus.DIRECTORY)
    if not stat.S_ISREG(info.st_mode):
        # A FIFO or device would block or never end; botocore's isfile() check skips it too.
        return base._replace(status=FileStatus.NOT_A_FILE)
    if info.st_size > MAX_FILE_BYTES:
        return base._replace(status=FileStatus.TOO_LARGE)

    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        return base._replace(status=FileStatus.UNREADABLE, detail=error.strerror)
    if len(data) > MAX_FILE_BYTES:
        return base._replace(status=FileStatus.TOO_LARGE)

    return base._replace(document=parse_bytes(data))


def parse_bytes(data: bytes) -> IniDocument:
    """Decode as UTF-8 (what botocore gets under a UTF-8 locale) and parse, recording byte-level defects."""
    problems: list[Problem] = []

    # NOTE: botocore decodes with the locale's preferred encoding; this reader
    # assumes UTF-8, which is what Linux and macOS terminals and CI use.
    for mark, name in UTF16_BOMS.items():
        if data.startswith(mark):
            # FF and FE never occur in UTF-8, so botocore fails on the first byte.
            problems.append(Problem(
                UTF16, 1, 1,
                f"the file is encoded as {name} (it starts with the byte-order mark {mark.hex(' ').upper()})",
            ))
            text = data.decode("utf-16", errors="replace")
            return _with_problems(parse_text(text.lstrip("\ufeff")), problems)

    # _unmarked_utf16 looks for a NUL in every other byte, so a text without any is skipped.
    unmarked = _unmarked_utf16(data) if b"\x00" in data else None
    if unmarked is not None:
        # ASCII text in UTF-16 is valid UTF-8 with a NUL after (or before)
        # every character, so botocore may even parse it, into names full of NULs.
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            decodes = False
        else:
            decodes = True
        document = parse_text(data.decode("utf-8", errors="replace"))
        # The syntax problems of such a text (bare NUL lines, no header) only
        # follow from the encoding, so the encoding is the one problem reported.
        return document.with_problems((Problem(
            UTF16, 1, 1,
            f"the file looks like {unmarked} without a byte-order mark (every second byte is NUL)",
            fatal=not decodes or document.fatal,
        ),))

    if data.startswith(UTF8_BOM):
        problems.append(Problem(BOM, 1, 1, "the file starts with a UTF-8 byte-order mark (EF BB BF)"))
        data = data[len(UTF8_BOM):]

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _position(data, error.start)
        problems.append(Problem(
            DECODE, line, column,
            f"byte 0x{data[error.start]:02X} at line {line}, column {column} is not valid UTF-8",
        ))
        text = data.decode("utf-8", errors="replace")

    nul = data.find(b"\x00")
    if nul >= 0 and not data.strip(b"\x00"):
        # The missing-header problem of such a text only follows from the NULs, so it is not repeated.
        return parse_text(text).with_problems((Problem(
            ZERO_FILLED, 1, 1,
            f"the file consists only of NUL bytes ({len(data)} of them), as a crash or a full disk leaves a file "
            "that was being written; botocore reads it as one line without a section header",
        ),))
    if nul >= 0:
        line, column = _position(data, nul)
        problems.append(Problem(
            NUL, line, column, f"the file contains a NUL byte on line {line}", fatal=False,
        ))

    return _with_problems(parse_text(text), problems)


def _unmarked_utf16(data: bytes) -> str | None:
    """Return the UTF-16 byte order of BOM-less text whose every second byte is NUL, or None."""
    if len(data) < 4:
        return None
    for name, zeros, text in (("UTF-16 little-endian", data[1::2], data[0::2]),
                               ("UTF-16 big-endian", data[0::2], data[1::2])):
        # The other half must be mostly text: a file of nothing but NUL bytes is not UTF-16.
        if zeros.count(0) >= 0.9 * len(zeros) and text.count(0) < 0.5 * len(text):
            return name
    return None


def _with_problems(document: IniDocument, problems: list[Problem]) -> IniDocument:
    if not problems:
        return document
    return document.with_problems((*problems, *document.problems))


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """Return the 1-based line and column (counted in bytes) of a byte offset."""
    start = max(data.rfind(b"\n", 0, offset), data.rfind(b"\r", 0, offset))
    line = data.count(b"\n", 0, offset) + 1
    if b"\r" in data[:offset]:
        line = len(data[:offset].replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n"))
    return line, offset - start


def _link_target(path: str) -> str | None:
    try:
        return os.readlink(path)
    except OSError:
        return None
