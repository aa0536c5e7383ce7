from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceRequestsConfig(AppConfig):
    name = "service_requests"
    verbose_name = _("Service requests")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import Holiday
        from .working_days import forget_holidays

        post_save.connect(forget_holidays, sender=Holiday)
        post_delete.connect(forget_holidays, sender=Holiday)
