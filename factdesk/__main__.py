"""`python -m factdesk` runs the same entry point as the `factdesk` command."""

import sys

from factdesk.app import main

sys.exit(main())
