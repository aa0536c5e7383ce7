"""WSGI entry point, served by granian (see ``make run``).

Each worker starts (or, as a rule, reuses) the embedded PostgreSQL when no
DATABASE_URL is set, before the application loads.
"""

import os
import sys
from pathlib import Path

_platform_dir = str(Path(__file__).resolve().parents[1])
if _platform_dir not in sys.path:
    sys.path.append(_platform_dir)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

from django.core.wsgi import get_wsgi_application  # noqa: E402

from tenants.embedded_server import ensure_embedded_server  # noqa: E402

ensure_embedded_server()
application = get_wsgi_application()
