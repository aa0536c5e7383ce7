"""Admin screens over one side's tables: the national portal's (public-schema tables, to
national roles) or an agency's own (its schema's rows, in its admin only)."""

from wagtail.admin.viewsets.model import ModelViewSet

from tenants.guards import (
    agency_only,
    agency_screen_allowed,
    national_only,
    national_screen_allowed,
)


class _GuardedModelViewSet(ModelViewSet):
    """Every view of the viewset (index, forms, inspect, history, usage, choosers) passes
    ``guard``, and its menu item is shown only where ``allowed``: hiding the menu item
    alone would leave the URL open to whoever types it."""

    add_to_admin_menu = True

    @staticmethod
    def guard(view):
        raise NotImplementedError

    @staticmethod
    def allowed(request) -> bool:
        raise NotImplementedError

    def construct_view(self, view_class, **kwargs):
        return self.guard(super().construct_view(view_class, **kwargs))

    def get_menu_item(self, order=None):
        item = super().get_menu_item(order)
        shown, allowed = item.is_shown, self.allowed
        item.is_shown = lambda request: allowed(request) and shown(request)
        return item


class NationalModelViewSet(_GuardedModelViewSet):
    """A model's listing and forms for national administrators: 404 on an agency's host
    whatever the user's permissions, 403 to anyone without a national role."""

    guard = staticmethod(national_only)
    allowed = staticmethod(national_screen_allowed)


class AgencyModelViewSet(_GuardedModelViewSet):
    """A model of the agency's schema, in its own admin only (404 on the national portal);
    who may do what is the model's permissions, as Wagtail checks them."""

    guard = staticmethod(agency_only)
    allowed = staticmethod(agency_screen_allowed)
