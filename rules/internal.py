"""AD0xx: findings about awsdoctor itself."""

from __future__ import annotations

from collections.abc import Iterator

from awsdoctor.findings import Location, Severity
from awsdoctor.rule import Issue, rule
from awsdoctor.setup import Setup


@rule(
    "AD001", "internal-error", Severity.ERROR,
    summary="A rule of awsdoctor crashed; its findings are missing from the report.",
    why="""
The engine runs every rule on its own. When one raises, the engine reports it
with this code instead of stopping, so the other rules still run and the
report says which checks are missing. Suppressions and --ignore never hide it.
""",
    example="""
# any input; the problem is in awsdoctor
[default]
region = us-east-1
""",
    fix="""
Report the rule code and the awsdoctor version. Run with -vv to see the
traceback (it shows no secret values).
""",
)
def internal_error(setup: Setup) -> Iterator[Issue]:
    # The engine reports a rule that raises; this check reports rule modules that did not even import.
    from awsdoctor.rules import load_failures

    for module, error in load_failures().items():
        yield Issue(
            message=f"the rule module {module!r} failed to import ({error}); all of its rules are missing "
                    "from this report",
            hint="This is a bug in awsdoctor, not in your configuration. Report it with the module name; "
                 "run with -vv to see the traceback.",
            location=Location(kind="file"),
        )


@rule(
    "AD002", "invalid-project-config", Severity.ERROR,
    summary="awsdoctor's own configuration file is unreadable, is not valid TOML, or has an invalid option.",
    why="""
awsdoctor reads its settings from the file given with --config, or else from
the first .awsdoctor.toml, or pyproject.toml with a [tool.awsdoctor] table,
found from the current directory upwards. The file is checked against
awsdoctor/schemas/project-config.schema.json. Running with part of the
settings silently dropped (an ignore list misspelled, a severity override
lost) would make the report look clean when it is not, so awsdoctor stops
with exit status 2 and names every invalid option instead. This code is never
reported as a finding; it documents that error.
""",
    example="""
# .awsdoctor.toml
ignored = ["AD3"]          # unknown option: the valid one is "ignore"
fail-on = "warn"           # must be error, warning, info or never
""",
    fix="""
Correct the options named in the error message. The valid options are select,
ignore, severity, per-file-ignores, fail-on and profiles (with account and arn
per profile).
""",
)
def invalid_project_config(setup: Setup) -> Iterator[Issue]:
    # awsdoctor.commands.check exits with status 2 on an invalid configuration; this entry carries the documentation.
    yield from ()


@rule(
    "AD003", "unused-suppression", Severity.INFO,
    summary="An `# awsdoctor: ignore[...]` comment hides no finding, or is not a valid suppression.",
    why="""
A suppression that no longer matches anything (the problem was fixed, the
line moved, or the code is misspelled) hides the next real problem that
appears at that place. A marker written after `key = value` or after a
section header does not work at all. botocore reads the files with
configparser and no inline comment prefixes, so after a value the comment
becomes part of the value, and after a header it becomes part of the section
name (configparser takes the name up to the last `]`, the marker's own).
Only codes whose rules all ran are reported, so a marker for a rule left out
with --select is not flagged.
""",
    example="""
[default]
# awsdoctor: ignore[AD200] nothing on the next line is an AD200 finding
region = us-east-1

[profile dev]
region = eu-west-1 # awsdoctor: ignore[AD3]
""",
    fix="""
Remove the marker or the codes that hide nothing. Put a marker on a comment
line of its own: directly above the line it applies to, above a section
header for the whole section, or anywhere as `# awsdoctor: ignore-file[CODES]`
for the whole file. A reason after the brackets is optional.
""",
)
def unused_suppression(setup: Setup) -> Iterator[Issue]:
    # awsdoctor.suppressions reports AD003 after the rules ran; this entry carries the documentation.
    yield from ()
