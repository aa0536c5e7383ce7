"""WSGI entry point, served by granian (see ``make run``).

Each worker starts (or, as a rule, reuses) the embedded PostgreSQL when no
DATABASE_URL is set, before the application loads.

What the worker's start makes (Django, Wagtail, every URL pattern and view: some
180,000 objects) lives as long as the worker, so it is moved out of reach of the
cyclic garbage collector (``gc.freeze``): each full collection scanned it all,
holding every request of the worker for 60-250 ms, about once in a thousand
requests (measured on the search API). Garbage made later is collected as ever.
"""

import gc
import os
import sys
from pathlib import Path

_platform_dir = str(Path(__file__).resolve().parents[1])
if _platform_dir not in sys.path:
    sys.path.append(_platform_dir)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

from django.conf import settings  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.urls import get_resolver  # noqa: E402

from tenants.embedded_server import ensure_embedded_server  # noqa: E402

ensure_embedded_server()
application = get_wsgi_application()
# The portal's and the agencies' URL patterns, and so their views, loaded now, not at the
# first request, so that they are frozen too.
for _urlconf in {settings.ROOT_URLCONF, settings.PUBLIC_SCHEMA_URLCONF}:
    get_resolver(_urlconf).url_patterns  # noqa: B018 - loads the module
gc.collect()
gc.freeze()
