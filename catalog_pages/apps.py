from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogPagesConfig(AppConfig):
    name = "catalog_pages"
    verbose_name = _("Agency catalogue pages")

    def ready(self):
        from . import signals  # noqa: F401 - connects the receivers
