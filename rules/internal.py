"""AD0xx: findings about awsdoctor itself."""

from __future__ import annotations

from collections.abc import Iterator

from awsdoctor.findings import Severity
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
    # The engine itself produces AD001 when a rule raises; this entry carries its documentation.
    yield from ()
