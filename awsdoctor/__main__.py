"""Allow ``python -m awsdoctor``."""

import sys

from awsdoctor.cli import main

sys.exit(main())
