"""`python -m veritex ...` is the `veritex` command."""

import sys

from .cli import main

sys.exit(main())
