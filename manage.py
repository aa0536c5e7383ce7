#!/usr/bin/env python
"""Django's command-line utility for Panjereh."""

import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def main() -> None:
    # platform/ is a source root, not a package: appended so the standard library's
    # `platform` module can never be shadowed.
    sys.path.append(str(BASE_DIR / "platform"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
