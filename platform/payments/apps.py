from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("Payments")

    def ready(self):
        from service_requests import acceptance, panels

        from . import services, views

        acceptance.register(services.acceptance_refusal)
        panels.register(views.tracking_panel)
        panels.register_staff(views.staff_panel)
