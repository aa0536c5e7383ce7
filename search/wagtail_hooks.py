"""National administrators maintain search synonyms in the public admin."""

from django.db import connection
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import get_public_schema_name
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from .models import SynonymGroup


class SynonymGroupViewSet(ModelViewSet):
    model = SynonymGroup
    icon = "search"
    menu_label = _("Search synonyms")
    add_to_admin_menu = True
    menu_order = 160
    form_fields = ["phrases"]
    list_display = ["__str__", "updated_at"]

    def get_menu_item(self, order=None):
        item = super().get_menu_item(order)
        shown = item.is_shown

        def is_shown(request):
            return connection.schema_name == get_public_schema_name() and shown(request)

        item.is_shown = is_shown
        return item


synonym_viewset = SynonymGroupViewSet("search_synonyms")


@hooks.register("register_admin_viewset")
def register_synonyms():
    return synonym_viewset
