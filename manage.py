#!/usr/bin/env python
"""Same as the `innocluster` command; kept for Django habits."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from innocluster.cli import main

if __name__ == "__main__":
    main()
