"""The home page's cached summary is forgotten when what it lists changes."""

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from taxonomy.models import LifeEvent, Topic
from tenants.models import Agency
from tenants.schemas import in_public_schema

from .selectors import home_cache_keys


def forget_home_summary() -> None:
    """After the commit (a rolled back change keeps the old summary, rightly)."""

    def forget():
        with in_public_schema():  # the portal's keys are the public schema's
            cache.delete_many(home_cache_keys())

    transaction.on_commit(forget)


@receiver(post_save, sender=Topic)
@receiver(post_delete, sender=Topic)
@receiver(post_save, sender=LifeEvent)
@receiver(post_delete, sender=LifeEvent)
@receiver(post_save, sender=Agency)
@receiver(post_delete, sender=Agency)
def _listed_things_changed(sender, **kwargs):
    forget_home_summary()
