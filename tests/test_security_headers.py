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


@pytest.mark.django_db
def test_each_kind_of_page_gets_what_django_csp_builds_for_it(rf):
    """The headers of ordinary responses are built once per kind of page (public,
    admin, preview) and each gets exactly what django-csp builds for it, whatever came
    before; a view's own policy and a page that asked for a nonce are built for it."""
    from csp.constants import NONCE
    from csp.decorators import csp_update
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse

    from config.security import ContentSecurityPolicyMiddleware

    def page(request):
        return HttpResponse("page")

    def preview(request):
        request.is_dummy = True  # as Wagtail's preview
        return HttpResponse("preview")

    @csp_update({"img-src": ["https://maps.example"], "script-src": [NONCE]})
    def map_page(request):
        return HttpResponse(f"<script nonce='{request.csp_nonce}'></script>")

    class BuiltEveryTime(ContentSecurityPolicyMiddleware):
        process_response = CSPMiddleware.process_response

    def policy(middleware_class, view, path):
        request = rf.get(path)
        return middleware_class(view)(request)["Content-Security-Policy"], request

    ours = ContentSecurityPolicyMiddleware(page)
    paths = ["/", "/admin/pages/", "/admin/pages/1/edit/preview/", "/search/", "/admin/"]
    for view, path in [(page, p) for p in paths] + [(preview, "/admin/pages/2/edit/preview/")]:
        request = rf.get(path)
        ours.process_request(request)
        got = ours.process_response(request, view(request))["Content-Security-Policy"]
        assert got == policy(BuiltEveryTime, view, path)[0], path
    assert len(ours._built) == 3
    assert "frame-ancestors 'self'" in got  # the preview's

    request = rf.get("/")
    ours.process_request(request)
    own = ours.process_response(request, map_page(request))["Content-Security-Policy"]
    assert "img-src 'self' https://maps.example" in own
    assert f"'nonce-{request._csp_nonce}'" in own
    request = rf.get("/")
    ours.process_request(request)
    assert (
        "maps.example"
        not in ours.process_response(request, page(request))["Content-Security-Policy"]
    )
