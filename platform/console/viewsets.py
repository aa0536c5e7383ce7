"""Admin screens that only national administrators (the public schema's admin) see."""

from django.db import connection
from django_tenants.utils import get_public_schema_name
from wagtail.admin.viewsets.model import ModelViewSet


class NationalModelViewSet(ModelViewSet):
    """A model's listing and forms, in the national admin's menu only."""

    add_to_admin_menu = True

    def get_menu_item(self, order=None):
        item = super().get_menu_item(order)
        shown = item.is_shown

        def is_shown(request):
            return connection.schema_name == get_public_schema_name() and shown(request)

        item.is_shown = is_shown
        return item
