"""``python -m moments_desk``."""

import sys

from moments_desk.app import main

sys.exit(main())
