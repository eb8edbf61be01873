"""``awsdoctor explain``: show which credentials and region would win for a profile, and why.

Exit status: 0 when botocore would find credentials (or could only get them
from an EC2 instance role), 1 when it would raise an error or find none, 2 for
a usage error. Nothing is fetched, run or written.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping

from awsdoctor.cli import EXIT_FINDINGS, EXIT_OK, stdout_is_terminal, use_color, write_report
from awsdoctor.explain import build_explanation, render_json, render_text
from awsdoctor.setup import load_setup


def run_explain(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    setup = load_setup(env, profile=args.profile)
    explanation = build_explanation(setup)
    if args.format == "json":
        write_report(render_json(explanation))
    else:
        write_report(render_text(explanation, color=use_color(args.color, stdout_is_terminal(), env)))
    resolution = explanation.resolution
    if resolution.error is None and (resolution.method is not None or resolution.depends_on_host):
        return EXIT_OK
    return EXIT_FINDINGS
