from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Satisfaction survey")

    def ready(self):
        from service_requests import panels
        from service_requests.models import ServiceRequest
        from service_requests.signals import status_changed

        from . import services, views

        status_changed.connect(
            services.invite_on_close, sender=ServiceRequest, dispatch_uid="surveys.invite"
        )
        panels.register(views.tracking_panel)
