from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FormsEngineConfig(AppConfig):
    name = "forms_engine"
    verbose_name = _("Request forms")
