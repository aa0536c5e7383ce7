"""Read-only queries of the national topic and life-event lists."""

from django.db.models import QuerySet

from .models import LifeEvent, Topic


def active_topics() -> QuerySet[Topic]:
    return Topic.objects.filter(is_active=True).order_by("sort_order", "pk")


def active_life_events() -> QuerySet[LifeEvent]:
    return LifeEvent.objects.filter(is_active=True).order_by("sort_order", "pk")


def unknown_slugs(topics, life_events) -> tuple[list[str], list[str]]:
    """The slugs of ``topics`` and ``life_events`` that are not on the national lists
    (hidden entries are known), in the order given, without repeats."""

    def unknown(model, slugs):
        slugs = list(dict.fromkeys(slugs or ()))
        if not slugs:
            return []
        known = set(model.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        return [slug for slug in slugs if slug not in known]

    return unknown(Topic, topics), unknown(LifeEvent, life_events)
