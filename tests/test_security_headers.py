"""Security headers: a strict Content Security Policy on public pages, the Wagtail admin's
own, HTTPS only (redirect, HSTS with sub-domains and preload) in production."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STRICT = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
}


def _directives(response) -> set[str]:
    return {part.strip() for part in response["Content-Security-Policy"].split(";")}


@pytest.mark.django_db
def test_portal_pages_have_the_strict_policy(client_for):
    portal = client_for("localhost")
    for path in ("/", "/track/", "/verify/", "/search/?q=x", "/en/"):
        response = portal.get(path)
        assert response.status_code == 200, path
        assert _directives(response) == STRICT, path
        assert "unsafe" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_agency_sites_and_unknown_hosts_have_the_strict_policy(onboard, client_for):
    agency = onboard(slug="csp-agency").agency
    site = client_for(f"{agency.slug}.localhost")
    assert _directives(site.get("/")) == STRICT
    assert _directives(site.get("/no-such-page/")) == STRICT  # the 404 page
    assert _directives(client_for("nobody.localhost").get("/")) == STRICT  # unknown agency


@pytest.mark.django_db
def test_the_admin_has_its_own_relaxed_policy(onboard, client_for):
    agency = onboard(slug="csp-admin").agency
    for client in (client_for("localhost"), client_for(f"{agency.slug}.localhost")):
        directives = _directives(client.get("/admin/login/"))
        assert "script-src 'self' 'unsafe-inline'" in directives
        assert "frame-ancestors 'self'" in directives  # Wagtail frames its own previews
        assert "object-src 'none'" in directives and "base-uri 'self'" in directives


@pytest.mark.django_db
def test_the_agency_accent_is_a_class_of_the_stylesheet_not_an_inline_style(onboard, client_for):
    from django_tenants.utils import schema_context
    from wagtail.models import Site

    from themes.constants import AccentColour
    from themes.models import AgencyBranding

    agency = onboard(slug="csp-accent").agency
    with schema_context(agency.schema_name):
        branding = AgencyBranding.for_site(Site.objects.get(is_default_site=True))
        branding.accent_colour = AccentColour.MAROON
        branding.save()
    html = client_for(f"{agency.slug}.localhost").get("/").content.decode()
    assert 'class="accent-maroon"' in html and "<style" not in html
    css = (ROOT / "themes/static/themes/css/panjereh.css").read_text()
    for colour in AccentColour:
        assert f"html.accent-{colour.name.lower()} {{ --accent: {colour.value};" in css


ADMIN_TEMPLATE = re.compile(r'{%\s*extends\s+"wagtailadmin/')
INLINE = re.compile(
    r"<style|\sstyle\s*=|\son[a-z]+\s*=|javascript:"
    r"|<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)",
    re.IGNORECASE,
)


def test_no_public_template_has_inline_script_or_style():
    tracked = subprocess.run(  # noqa: S603
        ["git", "ls-files", "*.html"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    public = [
        path
        for path in tracked
        if "/admin/" not in path
        and "/wagtailadmin/" not in path
        and not ADMIN_TEMPLATE.search((ROOT / path).read_text())
    ]
    assert "themes/templates/base.html" in public and len(public) > 15
    offenders = {
        path: INLINE.findall((ROOT / path).read_text())
        for path in public
        if INLINE.search((ROOT / path).read_text())
    }
    assert offenders == {}


def _production(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in {"HTTPS", "HSTS_PRELOAD", "SECURE_SSL_REDIRECT", "DJANGO_SETTINGS_MODULE"}
        },
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "TRACKING_KEY": secrets.token_urlsafe(64),
        # Settings only: no database is reached.
        "DATABASE_URL": "postgres://nobody@db.invalid:5432/panjereh",
        **env,
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_check_deploy_is_clean_with_production_defaults():
    # A real deployment sends SMS (without a key they go to the sandbox: warned below).
    result = _production("check", "--deploy", KAVENEGAR_API_KEY="a-key-for-the-check")
    print(result.stdout, result.stderr)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stdout + result.stderr

    unsent = _production("check", "--deploy", KAVENEGAR_API_KEY="")
    assert "notifications.W001" in unsent.stdout + unsent.stderr


SHOW = (
    "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS,"
    " s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD)"
)


def test_https_settings_in_production_and_under_make_run():
    def shown(**env):
        result = _production("shell", "--no-imports", "-c", SHOW, **env)
        assert result.returncode == 0, result.stderr
        return result.stdout.split()[-4:]

    assert shown() == ["True", "31536000", "True", "True"]
    assert shown(HSTS_PRELOAD="false") == ["True", "31536000", "True", "False"]
    # `make run` serves plain http on localhost: no redirect, no HSTS.
    assert shown(HTTPS="false") == ["False", "0", "False", "False"]
