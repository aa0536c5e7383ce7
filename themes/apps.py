from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThemesConfig(AppConfig):
    name = "themes"
    verbose_name = _("Themes")

    def ready(self):
        from . import admin_dates, admin_lookups

        admin_dates.install()
        admin_lookups.install()
        _name_wagtail_localize_in_persian()


def _name_wagtail_localize_in_persian():
    """wagtail-localize 1.14 leaves its translation model and two report filters without
    a translatable name (Django makes "translation", "Source locale" of the field names):
    give them one, so its Translations report reads in Persian."""
    from wagtail_localize.models import Translation
    from wagtail_localize.views.report import TranslationsReportFilterSet

    Translation._meta.verbose_name = _("translation")
    Translation._meta.verbose_name_plural = _("translations")
    filters = TranslationsReportFilterSet.base_filters
    filters["source_locale"].label = _("Source locale")
    filters["target_locale"].label = _("Target locale")
