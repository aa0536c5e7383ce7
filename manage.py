#!/usr/bin/env python
"""Django's command-line utility for Panjereh.

With no DATABASE_URL it starts (or reuses) the embedded PostgreSQL before the
command runs; ``embedded_postgres status|stop|release`` only looks at it.
"""

import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
# Commands that must not start the embedded server to do their work.
NO_SERVER_COMMANDS = {"embedded_postgres"}


def main() -> None:
    # platform/ is a source root, not a package: appended so the standard library's
    # `platform` module can never be shadowed.
    sys.path.append(str(BASE_DIR / "platform"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    if sys.argv[1:2] and sys.argv[1] not in NO_SERVER_COMMANDS:
        from django.conf import settings

        from tenants.embedded_server import ensure_embedded_server

        try:
            settings.EMBEDDED_DATABASE  # noqa: B018 - loads the settings
        except ImproperlyConfigured:
            pass  # execute_from_command_line reports it
        else:
            ensure_embedded_server(settings)
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
