"""A scratch database on the configured server, for benchmarks: created fresh, dropped after."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def use_project_imports() -> None:
    """Import the project as ``manage.py`` does: the checkout first, ``platform/`` (a source
    root) last; and no more from this folder, whose benches are named like the apps they
    measure (``bench/reports.py`` is not the ``reports`` app). Call it once the bench's
    helpers are imported."""
    here = Path(__file__).resolve().parent
    sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != here]
    sys.path[:0] = [str(ROOT)]
    sys.path.append(str(ROOT / "platform"))


def setup_scratch_database(name: str) -> dict:
    """Point Django at a new, empty database ``name`` and set it up; returns connection params."""
    use_project_imports()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ["PANJEREH_DATABASE_NAME"] = name
    import django
    import psycopg
    from django.conf import settings

    from tenants.embedded_server import ensure_embedded_server

    ensure_embedded_server(settings)  # the embedded server, unless DATABASE_URL is set
    db = settings.DATABASES["default"]
    params = {
        "host": db["HOST"],
        "port": db["PORT"] or None,
        "user": db["USER"],
        "password": db["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    django.setup()
    return params


def drop_scratch_database(name: str, params: dict) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def production_environment() -> Path:
    """Production settings with generated keys, as the benches serve; returns the private
    media folder made for them."""
    import secrets
    import tempfile

    private = Path(tempfile.mkdtemp(prefix="panjereh-bench-private-"))
    os.environ.update(
        {
            "SECRET_KEY": secrets.token_urlsafe(64),
            "TRACKING_KEY": secrets.token_urlsafe(64),
            "HTTPS": "false",
            "PRIVATE_MEDIA_ROOT": str(private),
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
        }
    )
    return private
