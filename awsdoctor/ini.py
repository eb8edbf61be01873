"""A line-tracking reader for the AWS config and credentials files.

botocore reads both files with ``configparser.RawConfigParser()`` and its
defaults (``botocore.configloader.raw_config_parse``): ``=`` and ``:`` are
delimiters, only whole-line ``#`` / ``;`` comments exist, keys are lower-cased,
section names are case-sensitive, an indented line continues the previous
value, ``[DEFAULT]`` is inherited by every section, and a duplicate section or
key is fatal (``strict=True``). This reader walks the lines with the same
decisions as configparser's ``_read`` (with string operations equivalent to its
regular expressions, which are several times faster), but never raises: it
keeps every section, entry, comment and duplicate with its line and column, and
records as a :class:`Problem` whatever would make botocore raise
``ConfigParseError``.

For example::

    [default]
    region = us-east-1   # prod
      output = json

gives one entry ``region`` whose value is ``"us-east-1   # prod\\noutput = json"``
(botocore keeps the inline comment and folds the indented line), with the
continuation recorded on line 3.
"""

from __future__ import annotations

from typing import NamedTuple

DEFAULT_SECTION = "DEFAULT"
COMMENT_PREFIXES = ("#", ";")

Values = dict[str, dict[str, "str | dict[str, str]"]]


class Continuation(NamedTuple):
    """One line folded into the value of the entry above it (``text`` is stripped; blank lines are ``""``)."""

    line: int
    column: int
    text: str


class Entry(NamedTuple):
    """One ``key = value`` line and the continuation lines folded into it."""

    key: str
    raw_key: str
    value: str
    line: int
    column: int
    value_column: int
    delimiter: str
    continuations: tuple[Continuation, ...] = ()

    @property
    def end_line(self) -> int:
        return self.continuations[-1].line if self.continuations else self.line

    @property
    def first_line_value(self) -> str:
        """Return the value as written on the key line, without continuation lines."""
        return self.value.split("\n", 1)[0] if self.continuations else self.value


class Section(NamedTuple):
    """One ``[name]`` header and the entries under it, in file order.

    A name that appears twice gives two Section objects; ``occurrence`` counts
    them from 1.
    """

    name: str
    line: int
    column: int
    trailer: str
    entries: tuple[Entry, ...]
    occurrence: int = 1

    def get(self, key: str) -> Entry | None:
        """Return the last entry for ``key`` (the one a non-strict parser would keep)."""
        found = None
        for entry in self.entries:
            if entry.key == key:
                found = entry
        return found


class Comment(NamedTuple):
    line: int
    column: int
    text: str


# Problem kinds. Every kind except "nul" makes botocore raise ConfigParseError.
# "utf-16" does so only when the file starts with a UTF-16 byte-order mark or its
# bytes are not valid UTF-8, and Problem.fatal records which case applies.
DECODE = "decode"
BOM = "bom"
UTF16 = "utf-16"
NUL = "nul"
ZERO_FILLED = "zero-filled"
MISSING_SECTION_HEADER = "missing-section-header"
DUPLICATE_SECTION = "duplicate-section"
DUPLICATE_KEY = "duplicate-key"
NO_DELIMITER = "no-delimiter"
EMPTY_KEY = "empty-key"
NESTED_SYNTAX = "nested-syntax"


class Problem(NamedTuple):
    """A defect in the file text, at a line and column.

    ``fatal`` is true when botocore raises ``ConfigParseError`` for it, which
    makes every profile of the file unusable.
    """

    kind: str
    line: int
    column: int
    message: str
    fatal: bool = True
    section: str | None = None
    key: str | None = None


_NO_ENTRIES: dict[str, Entry] = {}


class IniDocument:
    """The parsed file: every section header in order (``[DEFAULT]`` and duplicates included).

    Immutable by convention. The section index and the merged views are
    computed on first use and kept, because many rules read them.
    """

    __slots__ = ("sections", "comments", "problems", "lines", "_by_name", "_values", "_index", "_merged")

    def __init__(self, sections: tuple[Section, ...], comments: tuple[Comment, ...], problems: tuple[Problem, ...],
                 lines: tuple[str, ...], by_name: dict[str, dict[str, Entry]] | None = None) -> None:
        self.sections = sections
        self.comments = comments
        self.problems = problems
        self.lines = lines
        # Section name -> key -> entry with duplicates merged, as the reader
        # collects it; derived from ``sections`` when not given.
        self._by_name = by_name
        self._values: Values | None = None
        self._index: dict[tuple[str, int], Section] | None = None
        self._merged: dict[str, dict[str, Entry]] | None = None

    def __repr__(self) -> str:
        return f"IniDocument({len(self.sections)} sections, {len(self.problems)} problems)"

    def with_problems(self, problems: tuple[Problem, ...]) -> IniDocument:
        """Return the same text and sections with ``problems`` in place of the current ones."""
        return IniDocument(self.sections, self.comments, problems, self.lines, self._by_name)

    def find_section(self, name: str, occurrence: int = 1) -> Section | None:
        """Return the ``occurrence``-th section called ``name`` (1 for the first), in constant time."""
        index = self._index
        if index is None:
            index = self._index = {(section.name, section.occurrence): section for section in self.sections}
        return index.get((name, occurrence))

    @property
    def fatal(self) -> bool:
        """Return True when botocore would reject the whole file."""
        return any(problem.fatal for problem in self.problems)

    def defaults(self) -> dict[str, Entry]:
        """Return the ``[DEFAULT]`` entries by key (later ones win), which every section inherits.

        The mapping is shared, so callers must not change it.
        """
        return self._sections_by_name().get(DEFAULT_SECTION, _NO_ENTRIES)

    def _sections_by_name(self) -> dict[str, dict[str, Entry]]:
        by_name = self._by_name
        if by_name is None:
            by_name = self._by_name = {}
            for section in self.sections:
                target = by_name.setdefault(section.name, {})
                for entry in section.entries:
                    target[entry.key] = entry
        return by_name

    def merged_entries(self) -> dict[str, dict[str, Entry]]:
        """Return section name -> key -> entry as a non-strict configparser would build it.

        Duplicate sections are merged and a repeated key keeps the later
        value; ``[DEFAULT]`` entries are added to every section that does not
        set the key itself. For a file without fatal problems this is exactly
        botocore's view. The result is shared: callers must not change it.
        """
        if self._merged is not None:
            return self._merged
        by_name = self._sections_by_name()
        defaults = by_name.get(DEFAULT_SECTION)
        merged: dict[str, dict[str, Entry]] = {}
        for name, entries in by_name.items():
            if name == DEFAULT_SECTION:
                continue
            if defaults:
                entries = {**entries}
                for key, entry in defaults.items():
                    entries.setdefault(key, entry)
            merged[name] = entries
        self._merged = merged
        return merged

    def values(self) -> Values:
        """Return what ``botocore.configloader.raw_config_parse`` returns for this text."""
        if self._values is None:
            values: Values = {}
            for name, entries in self.merged_entries().items():
                values[name] = {key: parse_value(entry.value) for key, entry in entries.items()}
            self._values = values
        return self._values


def parse_value(value: str) -> str | dict[str, str]:
    """Turn a value that starts with a newline into botocore's one-level nested dict.

    Mirrors ``botocore.configloader._parse_nested``; a line without ``=``
    returns the value unchanged (botocore raises instead, which the reader
    records as a ``nested-syntax`` problem).
    """
    if not value.startswith("\n"):
        return value
    nested: dict[str, str] = {}
    for line in value.splitlines():
        line = line.strip()
        if not line:
            continue
        if "=" not in line:
            return value
        key, item = line.split("=", 1)
        nested[key.strip()] = item.strip()
    return nested


def split_lines(text: str) -> list[str]:
    r"""Split like a text-mode file object: ``\n``, ``\r\n`` and ``\r`` end a line, nothing else."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


# The constructor NamedTuple uses, without its keyword handling. The reader
# builds an entry per line and a section per header, so it saves a Python
# call for each.
_new_entry = tuple.__new__


def parse_text(text: str) -> IniDocument:
    """Parse decoded file text the way configparser does, keeping positions and every defect."""
    lines = split_lines(text)
    # Each section is (name, line, column, trailer, occurrence, entries) until
    # the end, and each entry an Entry from the start. Continuation lines are
    # rare, so an entry is rebuilt only when one arrives (see _continued).
    sections: list[tuple[str, int, int, str, int, list[Entry]]] = []
    comments: list[Comment] = []
    problems: list[Problem] = []

    section_name: str | None = None
    entries: list[Entry] = []
    # Section name -> key -> entry, later lines winning: configparser's view
    # before [DEFAULT] is inherited, and how duplicate keys are found.
    by_name: dict[str, dict[str, Entry]] = {}
    keys: dict[str, Entry] = {}
    occurrences: dict[str, int] = {}
    # The entry that takes continuation lines (an index into ``entries``, or
    # -1), the blank lines seen since its last line, and its folded lines.
    open_entry = -1
    blanks: list[int] = []
    folded: list[Continuation] = []
    indent_level = 0
    header_missing_reported = False
    continued = False

    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped:
            # empty_lines_in_values=True: a blank line joins the open value and
            # does not end it, so a later indented line still continues it.
            if open_entry >= 0:
                blanks.append(number)
            continue
        first = stripped[0]
        if first == "#" or first == ";":
            comments.append(Comment(number, line.index(first) + 1, stripped))
            continue

        # The same as configparser's NONSPACECRE search: str.lstrip and re's
        # \s agree on what whitespace is (both use Py_UNICODE_ISSPACE). A line
        # that starts with its first non-blank character has no indent.
        indent = 0 if line[0] == first else len(line) - len(line.lstrip())
        column = indent + 1

        if open_entry >= 0 and indent > indent_level:
            folded.extend(Continuation(blank, 1, "") for blank in blanks)
            blanks.clear()
            folded.append(Continuation(number, column, stripped))
            continued = True
            continue

        indent_level = indent

        # SECTCRE is r"\[(?P<header>.+)\]" with match(): a leading "[" and, the
        # greedy ".+" being at least one character, the last "]" from index 2 on.
        close = stripped.rfind("]") if first == "[" else -1
        if close >= 2:
            if folded:
                entry = entries[open_entry] = _continued(entries[open_entry], folded)
                keys[entry.key] = entry
                folded = []
            if blanks:
                blanks.clear()
            open_entry = -1
            section_name = stripped[1:close]
            occurrence = occurrences.get(section_name, 0) + 1
            occurrences[section_name] = occurrence
            if occurrence > 1 and section_name != DEFAULT_SECTION:
                first_line = next(section[1] for section in sections if section[0] == section_name)
                problems.append(Problem(
                    DUPLICATE_SECTION, number, column,
                    f"section [{section_name}] appears again (first on line {first_line})", section=section_name,
                ))
            entries = []
            sections.append((section_name, number, column, stripped[close + 1:], occurrence, entries))
            keys = by_name.setdefault(section_name, {})
            continue

        if section_name is None:
            if not header_missing_reported:
                problems.append(Problem(
                    MISSING_SECTION_HEADER, number, column,
                    f"line {number} comes before any [section] header",
                ))
                header_missing_reported = True
            continue

        # OPTCRE's non-greedy key stops at the first "=" or ":"; the "\s*" around
        # the delimiter is what rstrip and strip remove.
        position = stripped.find("=")
        colon = stripped.find(":", 0, position) if position >= 0 else stripped.find(":")
        if colon >= 0:
            position = colon
        if position < 0:
            problems.append(Problem(
                NO_DELIMITER, number, column, f"line {number} has no '=' or ':' between a key and a value",
                section=section_name,
            ))
            # configparser leaves the open value open: a later, more indented
            # line still continues it.
            continue

        if folded:
            entry = entries[open_entry] = _continued(entries[open_entry], folded)
            keys[entry.key] = entry
            folded = []
        if blanks:
            blanks.clear()

        raw_key = stripped[:position].rstrip()
        delimiter = stripped[position]
        rest = stripped[position + 1:]
        # ``stripped`` ends in no whitespace, so neither does ``rest``.
        value = rest.lstrip()
        value_column = column + position + 1 + (len(rest) - len(value) if value else 0)
        key = raw_key.lower()
        if not raw_key:
            problems.append(Problem(
                EMPTY_KEY, number, column, f"line {number} has a value but no key before '{delimiter}'",
                section=section_name,
            ))
        if key in keys:
            problems.append(Problem(
                DUPLICATE_KEY, number, column,
                f"key {key!r} appears twice in section [{section_name}]", section=section_name, key=key,
            ))
        entry = keys[key] = _new_entry(Entry, (key, raw_key, value, number, column, value_column, delimiter, ()))
        entries.append(entry)
        # An empty key can take no continuation lines, as in configparser.
        open_entry = len(entries) - 1 if key else -1

    if folded:
        entry = entries[open_entry] = _continued(entries[open_entry], folded)
        keys[entry.key] = entry

    document = IniDocument(
        tuple(
            _new_entry(Section, (name, number, column, trailer, tuple(items), occurrence))
            for name, number, column, trailer, occurrence, items in sections
        ),
        tuple(comments), (), tuple(lines), by_name,
    )
    # Only a key with an empty first line and indented lines below it makes a
    # nested block, so a file without continuation lines has none.
    if continued:
        problems.extend(_nested_problems(document))
    return document.with_problems(tuple(problems))


def _continued(entry: Entry, folded: list[Continuation]) -> Entry:
    """Return ``entry`` with the continuation lines folded into its value, as configparser joins them."""
    value = "\n".join([entry.value, *(item.text for item in folded)]).rstrip()
    return entry._replace(value=value, continuations=tuple(folded))


def _nested_problems(document: IniDocument) -> list[Problem]:
    """Find nested blocks (``s3 =`` plus indented lines) with a line botocore cannot split on ``=``.

    botocore parses nested blocks only for the values it returns, that is per
    section after ``[DEFAULT]`` inheritance (``raw_config_parse`` walks
    ``cp.sections()``): a bad block in ``[DEFAULT]`` fails only when some
    other section exists and does not set that key itself.
    """
    problems: list[Problem] = []
    reported: set[int] = set()
    owners = {entry.line: section.name for section in document.sections for entry in section.entries}
    for entries in document.merged_entries().values():
        for entry in entries.values():
            if not entry.value.startswith("\n") or entry.line in reported:
                continue
            # The same split as botocore's _parse_nested, which uses
            # str.splitlines and so also breaks on form feeds and the like.
            bad = next(
                (piece.strip() for piece in entry.value.splitlines() if piece.strip() and "=" not in piece),
                None,
            )
            if bad is None:
                continue
            place = next(
                (item for item in entry.continuations if bad in item.text),
                Continuation(entry.line, entry.column, entry.value),
            )
            reported.add(entry.line)
            problems.append(Problem(
                NESTED_SYNTAX, place.line, place.column,
                f"line {place.line} in the nested block under {entry.key!r} has no '='",
                section=owners[entry.line], key=entry.key,
            ))
    return problems

