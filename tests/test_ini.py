"""The INI reader against botocore: the same values where botocore accepts a text, a fatal problem where it rejects it.

botocore is the oracle: each input is written to a file and read with
``botocore.configloader.raw_config_parse``, which raises ``ConfigParseError``
for any text configparser (``strict=True``) or botocore's nested-block parser
rejects. The reader must then report a fatal problem; otherwise its
``values()`` must equal botocore's dict exactly.
"""

from __future__ import annotations

import locale
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from awsdoctor import ini
from awsdoctor.sources import parse_bytes
from conftest import FIXTURES

if locale.getpreferredencoding(False).replace("-", "").lower() != "utf8":  # pragma: no cover
    pytest.skip("botocore decodes with the locale encoding; the oracle needs a UTF-8 locale",
                allow_module_level=True)

# A fixed, derandomized run keeps CI stable. The four properties together
# (4,400 examples) took 10 seconds on the 2026 development container.
ORACLE_SETTINGS = settings(
    max_examples=1000, derandomize=True, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as directory:
        yield Path(directory) / "config"


def botocore_parse(data: bytes, path: Path) -> dict[str, Any] | None:
    """Return botocore's parse of ``data``, or None when botocore raises ConfigParseError."""
    from botocore.configloader import raw_config_parse
    from botocore.exceptions import ConfigParseError

    path.write_bytes(data)
    try:
        parsed: dict[str, Any] = raw_config_parse(str(path))
    except ConfigParseError:
        return None
    return parsed


def assert_agrees(data: bytes, path: Path) -> None:
    expected = botocore_parse(data, path)
    document = parse_bytes(data)
    if expected is None:
        assert document.fatal, f"botocore rejects {data!r}; the reader found only {document.problems}"
        return
    assert not document.fatal, f"botocore accepts {data!r}; the reader reports {document.problems}"
    assert document.values() == expected, f"values differ for {data!r}"


# -- the grammar ---------------------------------------------------------------

# Characters that str.strip() and configparser's \S treat as whitespace but
# that are not line breaks for a text-mode file.
ODD_SPACE = ["\u00a0", "\u2003", "\u3000", "\x0b", "\x0c", "\x1c", "\x85", "\u2028"]
SPACE = st.sampled_from(["", " ", "  ", "\t", " \t", *ODD_SPACE])
INDENT = st.sampled_from([" ", "  ", "\t", "    ", "\u00a0", "\x0c", " \u2003"])
WORD = st.sampled_from(["a", "b", "dev", "prod", "x y", "us-east-1", "json", "AKIAEXAMPLE", "é", "k=v", "s3"])
KEY = st.sampled_from([
    "region", "Region", "REGION", "output", "s3", "role_arn", "a", "b", "x y", "k:k", "k=k", "",
])
VALUE = st.one_of(
    WORD,
    st.sampled_from([
        "", "us-east-1 # prod", "json ; x", '"quoted"', "'q'", "=v", ":v", "[new]", "eu-west-1[new]",
        "https://x.awsapps.com/start#/", "a\x00b", "%(x)s", "AKIA%%X",
    ]),
    st.text(alphabet="ab =:#;[]\"' \t", max_size=8),
)
SECTION_NAME = st.sampled_from([
    "DEFAULT", "default", "profile a", "profile  a", 'profile "a"', "profile 'x y'", "profile a b",
    "profile", "profilex", "Profile a", " profile a ", "sso-session s", "services s", "a", "b]c", "[a",
    "default ", "x]",
])
LINE_END = st.sampled_from(["\n", "\n", "\n", "\r\n", "\r"])


@st.composite
def header_line(draw: st.DrawFn) -> str:
    trailer = draw(st.sampled_from(["", " # c", "x", "]", " ;"]))
    return f"{draw(SPACE)}[{draw(SECTION_NAME)}]{trailer}"


@st.composite
def option_line(draw: st.DrawFn) -> str:
    delimiter = draw(st.sampled_from(["=", ":", "=", " = ", "==", ": "]))
    return f"{draw(SPACE)}{draw(KEY)}{draw(SPACE)}{delimiter}{draw(SPACE)}{draw(VALUE)}{draw(SPACE)}"


@st.composite
def continuation_line(draw: st.DrawFn) -> str:
    body = draw(st.one_of(option_line(), WORD, VALUE, header_line()))
    return f"{draw(INDENT)}{body.lstrip()}"


NESTED_ITEMS = ["addressing_style = path", "max_concurrent_requests=10", "k = a = b", "", " = v", "a\x0bb = c"]


@st.composite
def nested_block(draw: st.DrawFn, items: tuple[str, ...] = (*NESTED_ITEMS, "no-delimiter", "k: v")) -> str:
    lines = [f"{draw(st.sampled_from(['s3', 'S3', 'dynamodb']))} ={draw(st.sampled_from(['', ' ', 'x']))}"]
    for _ in range(draw(st.integers(0, 3))):
        item = draw(st.sampled_from(items))
        lines.append(f"{draw(INDENT)}{item}" if item else draw(st.sampled_from(["", " "])))
    return "\n".join(lines)


@st.composite
def comment_line(draw: st.DrawFn) -> str:
    return f"{draw(SPACE)}{draw(st.sampled_from(['#', ';']))}{draw(st.sampled_from(['', ' c', ' [x]', ' k = v']))}"


LINE = st.one_of(
    header_line(),
    option_line(), option_line(), option_line(),
    continuation_line(),
    nested_block(),
    comment_line(),
    SPACE,
    WORD,
    st.sampled_from(["= v", "region=eu-west-1[new]", "output"]),
)


# Mostly lines botocore accepts, so that the value comparison gets exercised:
# distinct keys (duplicates are fatal) and no bare words.
CLEAN_KEY = st.text(alphabet="abcdefgh_-RS", min_size=1, max_size=6)


@st.composite
def clean_option_line(draw: st.DrawFn) -> str:
    delimiter = draw(st.sampled_from(["=", ":", " = ", "==", ": "]))
    return f"{draw(SPACE)}{draw(CLEAN_KEY)}{draw(SPACE)}{delimiter}{draw(SPACE)}{draw(VALUE)}{draw(SPACE)}"


CLEAN_LINE = st.one_of(
    header_line(),
    clean_option_line(), clean_option_line(), clean_option_line(), clean_option_line(),
    st.builds(lambda indent, value: indent + value.strip(), INDENT, WORD),
    nested_block(tuple(NESTED_ITEMS)),
    comment_line(),
    SPACE,
)


@st.composite
def ini_text(draw: st.DrawFn, line: st.SearchStrategy[str] = LINE) -> str:
    lines = []
    if line is CLEAN_LINE:
        lines.extend([draw(header_line()), draw(clean_option_line())])
    elif draw(st.booleans()):
        lines.append(draw(header_line()))
    lines.extend(draw(st.lists(line, max_size=12)))
    text = "".join(line + draw(LINE_END) for line in lines)
    if text and draw(st.booleans()):
        text = text.rstrip("\r\n")
    return text


@st.composite
def mutated_bytes(draw: st.DrawFn) -> bytes:
    data = draw(ini_text()).encode("utf-8")
    mutation = draw(st.sampled_from(["bom", "invalid", "nul", "utf16", "latin1-comment", "none"]))
    if mutation == "bom":
        return b"\xef\xbb\xbf" + data
    if mutation == "invalid":
        at = draw(st.integers(0, len(data)))
        return data[:at] + draw(st.sampled_from([b"\xff", b"\xc3", b"\xe9", b"\xed\xa0\x80"])) + data[at:]
    if mutation == "nul":
        at = draw(st.integers(0, len(data)))
        return data[:at] + b"\x00" + data[at:]
    if mutation == "utf16":
        encoding = draw(st.sampled_from(["utf-16", "utf-16-le", "utf-16-be"]))
        return data.decode("utf-8").encode(encoding)
    if mutation == "latin1-comment":
        return b"# caf\xe9\n" + data
    return data


# -- the properties ------------------------------------------------------------

@ORACLE_SETTINGS
@given(text=ini_text())
def test_grammar_texts_agree(scratch: Path, text: str) -> None:
    assert_agrees(text.encode("utf-8"), scratch)


@ORACLE_SETTINGS
@given(text=ini_text(CLEAN_LINE))
def test_clean_texts_agree(scratch: Path, text: str) -> None:
    assert_agrees(text.encode("utf-8"), scratch)


@settings(ORACLE_SETTINGS, max_examples=600)
@given(data=mutated_bytes())
def test_mutated_bytes_agree(scratch: Path, data: bytes) -> None:
    assert_agrees(data, scratch)


@settings(ORACLE_SETTINGS, max_examples=800)
@given(text=st.text(alphabet="[]=:#; \t\n\r\x0c\u00a0apdDEFAULT\"'", max_size=40))
def test_character_soup_agrees(scratch: Path, text: str) -> None:
    assert_agrees(text.encode("utf-8"), scratch)


def fixture_files() -> list[Any]:
    names = {"config", "credentials"}
    paths = sorted(
        path for path in FIXTURES.rglob("*")
        if path.is_file() and (path.name in names or path.suffix in {".ini", ".cfg"})
    )
    return [pytest.param(path, id=str(path.relative_to(FIXTURES))) for path in paths]


def test_fixture_files_found() -> None:
    assert len(fixture_files()) >= 3


@pytest.mark.parametrize("path", fixture_files())
def test_fixture_file_agrees(scratch: Path, path: Path) -> None:
    assert_agrees(path.read_bytes(), scratch)


# -- known traps, each checked against botocore and pinned ---------------------

TRAPS = {
    "inline comment kept": b"[default]\nregion = us-east-1 # prod\n",
    "indented line folds": b"[default]\nregion = us-east-1\n  output = json\n",
    "blank then indented": b"[default]\nregion = a\n\n  more\n",
    "comment inside value": b"[default]\nk = v\n#c\n  more\n",
    "nested block": b"[default]\ns3 =\n  addressing_style = path\n\n  max_concurrent_requests = 10\n",
    "nested without equals": b"[default]\ns3 =\n  addressing_style\n",
    "bad nested in DEFAULT only": b"[DEFAULT]\ns3 =\n  addressing_style\n",
    "bad nested in DEFAULT inherited": b"[DEFAULT]\ns3 =\n  addressing_style\n[x]\n",
    "bad nested in DEFAULT overridden": b"[DEFAULT]\ns3 =\n  addressing_style\n[x]\ns3 = a\n",
    "duplicate section": b"[default]\nregion=a\n[default]\noutput=json\n",
    "duplicate key": b"[default]\nregion=a\nregion=b\n",
    "duplicate key in two DEFAULT": b"[DEFAULT]\nregion=a\n[DEFAULT]\nregion=b\n",
    "DEFAULT twice": b"[DEFAULT]\nregion=a\n[DEFAULT]\noutput=b\n[x]\n",
    "no delimiter": b"[default]\noutput\n",
    "empty key": b"[default]\n=v\n",
    "key before header": b"region = a\n[default]\n",
    "utf-8 bom": b"\xef\xbb\xbf[default]\nregion = a\n",
    "latin-1 in comment": b"# caf\xe9\n[default]\n",
    "glued header": b"[default]\nregion=eu-west-1[new]\nk=v\n",
    "lone cr": b"[default]\rregion = a\r  more\r",
    "crlf": b"[default]\r\nregion = a\r\n",
    "vertical tab indent": b"[default]\nregion = a\n\x0boutput = b\n",
    "form feed in nested": b"[default]\ns3 =\n  a = 1\x0cb = 2\n",
    "header trailer": b"[profile foo] # c\nregion = a\n",
    "nul byte": b"[default]\nregion = a\x00b\n",
    "empty file": b"",
}


@pytest.mark.parametrize("data", list(TRAPS.values()), ids=list(TRAPS))
def test_trap_agrees(scratch: Path, data: bytes) -> None:
    assert_agrees(data, scratch)


# -- positions -------------------------------------------------------------------

def test_entry_position() -> None:
    entry = ini.parse_text("[default]\n  region =  us-east-1\n").sections[0].entries[0]
    assert (entry.line, entry.column, entry.value_column) == (2, 3, 13)


def test_continuation_position() -> None:
    entry = ini.parse_text("[default]\nregion = a\n\n\toutput = json\n").sections[0].entries[0]
    assert entry.continuations == (ini.Continuation(3, 1, ""), ini.Continuation(4, 2, "output = json"))


def test_trailing_blank_lines_dropped() -> None:
    entry = ini.parse_text("[default]\nregion = a\n\n\n[x]\n").sections[0].entries[0]
    assert entry.continuations == ()


def test_duplicate_section_problem() -> None:
    problems = ini.parse_text("[a]\n[b]\n[a]\n").problems
    assert problems == (ini.Problem(ini.DUPLICATE_SECTION, 3, 1, "section [a] appears again (first on line 1)",
                                    section="a"),)


def test_duplicate_key_problem() -> None:
    problems = ini.parse_text("[a]\nk = 1\nK = 2\n").problems
    assert problems == (ini.Problem(ini.DUPLICATE_KEY, 3, 1, "key 'k' appears twice in section [a]",
                                    section="a", key="k"),)


def test_nested_problem_position() -> None:
    problems = ini.parse_text("[a]\ns3 =\n  x = 1\n  bad\n").problems
    assert problems == (ini.Problem(ini.NESTED_SYNTAX, 4, 3, "line 4 in the nested block under 's3' has no '='",
                                    section="a", key="s3"),)


def test_comment_kept() -> None:
    comments = ini.parse_text("[a]\n  ; note\n").comments
    assert comments == (ini.Comment(2, 3, "; note"),)


def test_decode_problem_position() -> None:
    problems = parse_bytes(b"[a]\n# caf\xe9\n").problems
    assert problems[0] == ini.Problem(ini.DECODE, 2, 6, "byte 0xE9 at line 2, column 6 is not valid UTF-8")
