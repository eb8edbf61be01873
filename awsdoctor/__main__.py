"""Allow ``python -m awsdoctor``."""

from awsdoctor.cli import run

run()
