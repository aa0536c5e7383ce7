"""Writes to the topic and life-event lists."""

from django.db import transaction
from django.db.models import Max

from .models import ListEntry


@transaction.atomic
def save_entry(entry: ListEntry) -> ListEntry:
    """Validate and save a topic or life event; a new one goes to the end of its list."""
    model = type(entry)
    if entry.pk is None:
        # Lock the list so two additions at once do not take the same place.
        list(model.objects.select_for_update().values_list("pk", flat=True))
        last = model.objects.aggregate(last=Max("sort_order"))["last"]
        entry.sort_order = 0 if last is None else last + 1
    entry.full_clean()
    entry.save()
    return entry
