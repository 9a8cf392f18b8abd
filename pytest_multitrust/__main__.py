"""``python -m pytest_multitrust``: the ``multitrust`` command."""

import sys

from pytest_multitrust.cli import main

sys.exit(main())
