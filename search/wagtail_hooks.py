"""National administrators maintain search synonyms in the public admin."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from tenants.viewsets import NationalModelViewSet

from .models import SynonymGroup


class SynonymGroupViewSet(NationalModelViewSet):
    model = SynonymGroup
    icon = "search"
    menu_label = _("Search synonyms")
    menu_order = 160
    form_fields = ["phrases"]
    list_display = ["__str__", "updated_at"]


synonym_viewset = SynonymGroupViewSet("search_synonyms")


@hooks.register("register_admin_viewset")
def register_synonyms():
    return synonym_viewset
