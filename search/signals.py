"""Re-index a service whenever what citizens can see of it changes."""

from django.db.backends.signals import connection_created
from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move


def _is_service(instance) -> bool:
    from catalog_pages.models import ServicePage

    return (
        isinstance(instance, ServicePage)
        or getattr(instance, "specific_class", None) is ServicePage
    )


@receiver(page_published)
@receiver(page_unpublished)
def reindex_on_publication(sender, instance, **kwargs):
    if _is_service(instance):
        from .services import index_service_later

        index_service_later(instance.translation_key)


@receiver(post_page_move)
def reindex_on_move(sender, instance, **kwargs):
    if _is_service(instance):
        from .services import index_service_later

        index_service_later(instance.translation_key)


@receiver(post_delete)
def reindex_on_delete(sender, instance, **kwargs):
    if _is_service(instance):
        from .services import index_service_later

        index_service_later(instance.translation_key)


# One-letter typos in short Persian words («گذرنمه» for «گذرنامه») share about half of
# their trigrams: pg_trgm's default word-similarity threshold (0.6) misses them.
WORD_SIMILARITY_THRESHOLD = 0.45


@receiver(connection_created)
def tune_trigram_matching(sender, connection, **kwargs):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pg_trgm.word_similarity_threshold', %s, false), "
                "set_config('pg_trgm.strict_word_similarity_threshold', %s, false)",
                [str(WORD_SIMILARITY_THRESHOLD)] * 2,
            )
