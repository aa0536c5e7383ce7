"""Admin screens over public-schema tables: national roles, on the national portal only."""

from wagtail.admin.viewsets.model import ModelViewSet

from tenants.guards import national_only, national_screen_allowed


class NationalModelViewSet(ModelViewSet):
    """A model's listing and forms for national administrators.

    Every view of the viewset (index, forms, inspect, history, usage, choosers)
    passes the national guard: 404 on an agency's host whatever the user's
    permissions, 403 to anyone without a national role. Hiding the menu item alone
    would leave the URL open to an agency administrator who types it.
    """

    add_to_admin_menu = True

    def construct_view(self, view_class, **kwargs):
        return national_only(super().construct_view(view_class, **kwargs))

    def get_menu_item(self, order=None):
        item = super().get_menu_item(order)
        shown = item.is_shown

        def is_shown(request):
            return national_screen_allowed(request) and shown(request)

        item.is_shown = is_shown
        return item
