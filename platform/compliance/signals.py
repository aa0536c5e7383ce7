"""Refresh a service's compliance row whenever it is published, unpublished, moved or deleted."""

from django.db import connection
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django_tenants.utils import get_public_schema_name
from wagtail.signals import page_published, page_unpublished, post_page_move


def _service_key(instance):
    from catalog_pages.models import ServicePage

    is_service = (
        isinstance(instance, ServicePage)
        or getattr(instance, "specific_class", None) is ServicePage
    )
    return instance.translation_key if is_service else None


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def refresh_on_publication(sender, instance, **kwargs):
    key = _service_key(instance)
    if key is not None and connection.schema_name != get_public_schema_name():
        from .services import refresh_service_later

        refresh_service_later(connection.schema_name, key)


@receiver(post_delete)
def refresh_on_delete(sender, instance, **kwargs):
    refresh_on_publication(sender, instance)
