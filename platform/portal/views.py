"""Pages of the national portal."""

from django.core.paginator import Paginator
from django.shortcuts import render

from persian.digits import parse_whole_number
from tenants.selectors import active_agencies

AGENCIES_PER_PAGE = 30


def home(request):
    """The portal's front page: every active agency, linked to its own site."""
    page = Paginator(active_agencies(), AGENCIES_PER_PAGE).get_page(
        parse_whole_number(request.GET.get("page"), max_digits=6)
    )
    return render(request, "portal/home.html", {"agencies": page})


def not_found(request, exception=None):
    return render(request, "portal/404.html", status=404)
