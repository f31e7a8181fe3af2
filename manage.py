#!/usr/bin/env python
"""Django's command-line utility; the same as the ``motcua`` command."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from motcua.cli import main

if __name__ == "__main__":
    main()
