from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    label = "service_search"
    verbose_name = _("Service search")

    def ready(self):
        from . import signals  # noqa: F401
