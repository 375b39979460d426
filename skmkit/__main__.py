"""``python -m skmkit``: the same command line as ``skmkit``."""
import sys

from .cli import main

sys.exit(main())
