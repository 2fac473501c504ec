"""``python -m mentorkit``."""

import sys

from mentorkit.cli import main

sys.exit(main())
