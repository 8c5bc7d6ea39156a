"""`python -m veritex ...` is the `veritex` command."""

import os
import sys

from . import processes
from .cli import main

status = main()
if processes.is_child():
    # a build's child: everything it makes is written and reported; it ends as a forked child
    # does, without tearing the interpreter down (where a kernel's threads may still talk)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status if isinstance(status, int) else 1)
sys.exit(status)
