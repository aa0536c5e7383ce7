from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    name = "appointments"
    verbose_name = _("Appointments")

    def ready(self):
        from service_requests import panels

        from . import views

        panels.register(views.tracking_panel)
        panels.register_staff(views.staff_panel)
