"""The ``awsdoctor`` command line: ``check``, ``explain`` and ``rules``.

Exit codes: 0 when no finding reaches the ``--fail-on`` level (default
``warning``), 1 when one does, 2 for a usage error or when awsdoctor itself
could not run.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
from typing import TYPE_CHECKING

from awsdoctor import __version__
from awsdoctor.findings import Severity

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

EPILOG = """\
exit status:
  0  no finding at or above the --fail-on level (default: warning)
  1  at least one finding at or above the --fail-on level
  2  usage error, or awsdoctor itself could not run
"""

EXPLAIN_EPILOG = """\
exit status:
  0  botocore would find credentials (or only an EC2 instance role could supply them)
  1  botocore would raise an error or find no credentials
  2  usage error, or awsdoctor itself could not run
"""


class UsageError(Exception):
    """A mistake in the command line or in awsdoctor's own configuration (exit status 2)."""


def terminal_columns() -> int:
    """Return the terminal width as ``shutil.get_terminal_size`` does: $COLUMNS, else stdout's terminal, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns > 0:
        return columns
    stream = sys.__stdout__
    try:
        columns = os.get_terminal_size(stream.fileno()).columns if stream is not None else 0
    except (AttributeError, ValueError, OSError):
        columns = 0
    return columns or 80


class HelpFormatter(argparse.HelpFormatter):
    """argparse's help formatter, without the shutil import it does on every ``add_argument``.

    ``argparse.HelpFormatter()`` imports shutil (and with it bz2 and lzma) for
    the terminal width, and argparse builds one formatter per argument to check
    its metavar, so the import would be paid on every run.
    """

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:
        super().__init__(prog, indent_increment, max_help_position,
                         terminal_columns() - 2 if width is None else width)


class RawDescriptionHelpFormatter(HelpFormatter, argparse.RawDescriptionHelpFormatter):
    """:class:`HelpFormatter` that keeps the description's and epilog's line breaks."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="awsdoctor",
        description="Find conflicts and mistakes in AWS CLI and SDK configuration.",
        epilog=EPILOG,
        formatter_class=RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"awsdoctor {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    check = commands.add_parser(
        "check", help="diagnose the AWS setup in use, or lint the files given as arguments",
        description="Without file arguments, diagnose the live setup: the AWS_* environment variables, "
                    "the config and credentials files they point at, and the CLI caches. With file arguments, "
                    "lint only those files and ignore the environment.",
        epilog=EPILOG, formatter_class=RawDescriptionHelpFormatter,
    )
    check.add_argument("files", nargs="*", metavar="FILE", help="config or credentials files to lint")
    check.add_argument("--type", choices=("config", "credentials"),
                       help="treat every FILE as this type (default: from the file name)")
    _add_profile_options(check)
    _add_output_options(check)
    check.add_argument("--select", action="append", default=[], metavar="PREFIXES",
                       help="comma-separated rule codes or prefixes to run (default: all)")
    check.add_argument("--ignore", action="append", default=[], metavar="PREFIXES",
                       help="comma-separated rule codes or prefixes to skip")
    check.add_argument("--fail-on", choices=("error", "warning", "info", "never"),
                       help="lowest severity that makes the exit status 1 (default: warning)")
    check.add_argument("--config", metavar="FILE", dest="project_config",
                       help="awsdoctor settings file (default: .awsdoctor.toml or [tool.awsdoctor] in "
                            "pyproject.toml, searched from the current directory upwards)")
    live = check.add_argument_group("live checks (only these talk to AWS)")
    live.add_argument("--live", action="store_true",
                      help="call STS GetCallerIdentity and AssumeRole and compare expected with actual identity")
    live.add_argument("--all-profiles", action="store_true", help="with --live, check every profile")
    live.add_argument("--expect-account", metavar="ACCOUNT", help="with --live, the account id you expect")
    live.add_argument("--expect-arn", metavar="PATTERN",
                      help="with --live, the caller ARN you expect (shell-style wildcards allowed)")
    live.add_argument("--mfa-code", metavar="CODE", help="with --live, the MFA code for a role with mfa_serial")
    live.add_argument("--connect-timeout", type=float, default=3.0, metavar="SECONDS",
                      help="with --live, connection timeout per STS call (default: %(default)s)")
    live.add_argument("--read-timeout", type=float, default=5.0, metavar="SECONDS",
                      help="with --live, read timeout per STS call (default: %(default)s)")
    live.add_argument("--max-attempts", type=int, default=2, metavar="N",
                      help="with --live, attempts per STS call including the first (default: %(default)s)")

    explain = commands.add_parser(
        "explain", help="show which credentials and region would win for a profile, and why",
        description="Show, without any network call, every effective setting of the selected profile "
                    "and where it comes from, the credential chain as botocore walks it, the role chain "
                    "and the expected caller ARN, and how the other SDKs would differ.",
        epilog=EXPLAIN_EPILOG, formatter_class=RawDescriptionHelpFormatter,
    )
    _add_profile_options(explain)
    explain.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    explain.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                         help="colour the text output (default: on a terminal, unless NO_COLOR is set or TERM is dumb)")

    rules = commands.add_parser("rules", help="list the rules, or show one rule's documentation",
                                formatter_class=HelpFormatter)
    rules.add_argument("code", nargs="?", metavar="CODE", help="rule code (AD401) or name (role-with-two-sources)")
    rules.add_argument("--format", choices=("text", "json", "markdown"), default="text", help="output format")
    return parser


def _add_profile_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--profile", metavar="NAME",
                        help="the profile to diagnose, as if given to the AWS CLI as --profile")
    parser.add_argument("-v", "--verbose", action="count", default=0,
                        help="log why things were skipped (-vv: debug details)")


def _add_output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("auto", "text", "json", "sarif", "github"), default="auto",
                        help="report format (default: auto, GitHub annotations under GitHub Actions, else text)")
    parser.add_argument("--output", metavar="FILE",
                        help="write the report to FILE; the summary line still goes to the terminal")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                        help="colour the text report (default: on a terminal, unless NO_COLOR is set or TERM is dumb; "
                             "never with --output)")


def split_prefixes(values: Sequence[str]) -> tuple[str, ...]:
    prefixes: list[str] = []
    for value in values:
        prefixes.extend(part.strip().upper() for part in value.split(",") if part.strip())
    return tuple(prefixes)


def use_color(choice: str, stream_is_tty: bool, env: Mapping[str, str]) -> bool:
    """Decide on colour: --color wins, then NO_COLOR (off), FORCE_COLOR (on), TERM=dumb (off), then the terminal."""
    if choice != "auto":
        return choice == "always"
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR"):
        return True
    if env.get("TERM") == "dumb":
        # Emacs shell buffers and other minimal terminals set TERM=dumb and print escape codes as text.
        return False
    return stream_is_tty


def stdout_is_terminal() -> bool:
    """Return whether stdout is a terminal, which a closed stdout (``sys.stdout`` is None) is not."""
    stream = sys.stdout
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def write_report(text: str) -> None:
    """Write ``text`` to stdout and flush it, so that a failure surfaces here, while the exit status is known.

    A reader that stops early (``awsdoctor check | head``) has read all it
    wanted: the rest is discarded and the run keeps its exit status. Any other
    failure (a full disk, a closed stdout) raises :class:`UsageError`.
    """
    stream = sys.stdout
    if stream is None:
        # Python sets sys.stdout to None when file descriptor 1 is closed at start-up (`awsdoctor check >&-`).
        raise UsageError("cannot write the report: standard output is closed")
    try:
        stream.write(text)
        stream.flush()
    except BrokenPipeError:
        discard_stdout()
    except OSError as error:
        discard_stdout()
        raise UsageError(f"cannot write the report: {error.strerror or error}") from None


def discard_stdout() -> None:
    """Point stdout's file descriptor at /dev/null, so that the flush at exit neither fails nor reports twice.

    A failed write leaves its text in the stream's buffer, and every later
    flush, including the interpreter's own at exit, would try it again.
    """
    try:
        fileno = sys.stdout.fileno() if sys.stdout is not None else -1
    except (AttributeError, ValueError, OSError):
        return
    if fileno < 0:
        return
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fileno)
        os.close(devnull)


def write_message(line: str) -> None:
    """Write one line to stderr, ignoring a closed or broken stderr, because no stream is left to report that on."""
    stream = sys.stderr
    if stream is None:
        return
    with contextlib.suppress(OSError, ValueError):
        stream.write(line + "\n")
        stream.flush()


def needs_logging(args: argparse.Namespace) -> bool:
    """Return True when the run must configure logging.

    -v requests messages, and botocore, which --live loads, logs warnings that
    need awsdoctor's format and level.
    """
    return bool(getattr(args, "verbose", 0)) or bool(getattr(args, "live", False))


def configure_logging(verbosity: int) -> None:
    import logging  # see awsdoctor.log: an ordinary run never imports logging

    level = logging.WARNING
    if verbosity == 1:
        level = logging.INFO
    elif verbosity >= 2:
        level = logging.DEBUG
    logging.basicConfig(level=level, format="awsdoctor: %(levelname)s: %(message)s", stream=sys.stderr)
    # botocore logs a failed credential refresh as a warning with a traceback; --live reports the
    # same failure as a finding, so botocore and urllib3 speak only from -vv on.
    for name in ("botocore", "urllib3"):
        logging.getLogger(name).setLevel(logging.CRITICAL if verbosity < 2 else level)


def run() -> None:
    """The console-script and ``python -m awsdoctor`` entry point: run :func:`main` and end the process.

    A large setup leaves a few hundred thousand objects that the interpreter
    would free one by one at exit, about a twentieth of a run on 10,000
    profiles. Once the report is written nothing is left to clean up, so the
    streams are flushed and the process ends at once, as mypy does.
    """
    try:
        status = main()
    except SystemExit as leaving:
        # argparse ends --help, --version and a usage error this way; its text still has to be flushed here.
        if isinstance(leaving.code, int):
            status = leaving.code
        elif leaving.code is None:
            status = EXIT_OK
        else:
            status = EXIT_USAGE
    stream = sys.stdout
    if stream is not None:
        try:
            stream.flush()
        except BrokenPipeError:
            # The reader went away (``awsdoctor check | head``); what it read is all it wanted.
            pass
        except OSError as error:
            write_message(f"awsdoctor: error: cannot write the report: {error.strerror or error}")
            status = EXIT_USAGE
    with contextlib.suppress(OSError, ValueError, AttributeError):  # a closed or broken stderr has nothing to flush
        sys.stderr.flush()
    os._exit(status)


def main(argv: Sequence[str] | None = None) -> int:
    # A run builds a few hundred thousand small records for a large file
    # (entries, tuples, findings), none of them in reference cycles, and ends
    # soon after. The cyclic collector would scan them over and over, about
    # a fifth of a run on 10,000 profiles, so it is paused for the run.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run(argv)
    finally:
        if collecting:
            gc.enable()


def _run(argv: Sequence[str] | None) -> int:
    # A report must never die on a character the terminal's encoding lacks (a
    # profile named café under LANG=C): it is escaped instead.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    parser = build_parser()
    args = parser.parse_args(argv)
    if needs_logging(args):
        configure_logging(getattr(args, "verbose", 0))
    try:
        if args.command == "check":
            from awsdoctor.commands.check import run_check

            return run_check(args, dict(os.environ))
        if args.command == "explain":
            from awsdoctor.commands.explain import run_explain

            return run_explain(args, dict(os.environ))
        from awsdoctor.commands.rules import run_rules

        return run_rules(args)
    except UsageError as error:
        write_message(f"awsdoctor: error: {error}")
        return EXIT_USAGE


def parse_fail_on(value: str | None) -> Severity | None:
    if value is None:
        return Severity.WARNING
    if value == "never":
        return None
    return Severity.parse(value)
