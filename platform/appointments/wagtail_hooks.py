"""The agency's admin: its desks, their opening hours and closures (its administrator),
and each desk's day queue (administrators and request clerks)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from tenants.guards import agency_only, agency_screen_allowed
from tenants.menus import AgencyMenuItem

from . import selectors, views
from .models import Closure, Desk, OpeningHours


class _AgencyRows:
    """Every view of an agency's viewset sees only the agency's rows (``selectors``), and a
    new row (or its desk) is the agency's."""

    scope = None  # selectors.desks_of, ...

    def get_queryset(self, *args, **kwargs):
        rows = super().get_queryset(*args, **kwargs)
        return rows.filter(pk__in=type(self).scope(self.request.tenant).values("pk"))

    def get_base_queryset(self, *args, **kwargs):
        rows = super().get_base_queryset(*args, **kwargs)
        return rows.filter(pk__in=type(self).scope(self.request.tenant).values("pk"))

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        if "desk" in form.fields:
            form.fields["desk"].queryset = selectors.desks_of(self.request.tenant)
        if isinstance(form.instance, Desk) and form.instance.agency_id is None:
            form.instance.agency = self.request.tenant
        return form


class AgencyModelViewSet(ModelViewSet):
    """A model's listing and forms in an agency's admin, over public-schema rows stamped
    with the agency: only on the agency's host, only its own rows."""

    scope = None
    add_to_admin_menu = False

    def construct_view(self, view_class, **kwargs):
        scoped = type(
            view_class.__name__, (_AgencyRows, view_class), {"scope": staticmethod(self.scope)}
        )
        return agency_only(super().construct_view(scoped, **kwargs))

    def get_menu_item(self, order=None):
        item = super().get_menu_item(order)
        shown = item.is_shown
        item.is_shown = lambda request: agency_screen_allowed(request) and shown(request)
        return item


class DeskViewSet(AgencyModelViewSet):
    model = Desk
    scope = staticmethod(selectors.desks_of)
    icon = "home"
    form_fields = ["title", "address", "slot_minutes", "capacity", "active"]
    list_display = ["title", "slot_minutes", "capacity", "active"]


class HoursViewSet(AgencyModelViewSet):
    model = OpeningHours
    scope = staticmethod(selectors.hours_of)
    icon = "time"
    form_fields = ["desk", "weekday", "opens", "closes"]
    list_display = ["desk", "weekday", "opens", "closes"]


class ClosureViewSet(AgencyModelViewSet):
    model = Closure
    scope = staticmethod(selectors.closures_of)
    icon = "date"
    form_fields = ["desk", "date", "reason"]
    list_display = ["desk", "date", "reason"]


class DesksGroup(ModelViewSetGroup):
    menu_label = _("Appointments")
    menu_icon = "date"
    menu_order = 310
    items = (
        DeskViewSet("appointment_desks"),
        HoursViewSet("appointment_hours"),
        ClosureViewSet("appointment_closures"),
    )

    def get_menu_item(self, order=None):
        item = super().get_menu_item(order)
        shown = item.is_shown
        item.is_shown = lambda request: agency_screen_allowed(request) and shown(request)
        return item


@hooks.register("register_admin_viewset")
def register_desks():
    return DesksGroup()


LOG_ACTIONS = {
    "panjereh.appointment.attended": (_("Appointment: attended"), _("Marked attended")),
    "panjereh.appointment.no_show": (_("Appointment: did not come"), _("Marked not come")),
}


@hooks.register("register_log_actions")
def register_appointment_log_actions(actions):
    for action, (label, message) in LOG_ACTIONS.items():
        actions.register_action(action, label, message)


@hooks.register("register_admin_urls")
def register_queue_urls():
    return [
        path("appointments/queue/", views.day_queue, name="appointments_queue"),
        path("appointments/queue/book/", views.staff_book, name="appointments_staff_book"),
        path("appointments/<int:pk>/mark/", views.mark, name="appointments_mark"),
        path(
            "appointments/desks/from-addresses/",
            views.desks_from_addresses,
            name="appointments_desks_from_addresses",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_queue_menu_item():
    return AgencyMenuItem(
        _("Desk queue"),
        reverse("appointments_queue"),
        name="appointments-queue",
        icon_name="list-ul",
        order=311,
        permission=views.HANDLE,
    )
