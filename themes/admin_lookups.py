"""Wagtail's chooser views look an object up by the id in the URL as it was typed:
``/admin/documents/chooser/chosen/abc/`` raised a ValueError, a 500, where a missing
object gets a 404. Installed once by ``ThemesConfig.ready``: an id that is not one of the
model's (not a number, out of range) is a missing object, and a list of ids keeps only
well-formed ones.
"""

from django.core.exceptions import ObjectDoesNotExist, ValidationError


def _well_formed(model, value):
    """``value`` as the model's primary key, or None if it cannot be one."""
    field = model._meta.pk
    try:
        cleaned = field.to_python(value)
        field.run_validators(cleaned)  # the integer range a database column can hold
    except (ValidationError, TypeError, ValueError, OverflowError):
        return None
    return cleaned


def install() -> None:
    from wagtail.admin.views.generic import chooser

    def get_object(self, pk):
        cleaned = _well_formed(self.model_class, pk)
        if cleaned is None:
            raise ObjectDoesNotExist
        return self.model_class.objects.get(pk=cleaned)

    def get(self, request):
        # Subclasses (documents, images) filter by the ids in their own get_objects.
        cleaned = (_well_formed(self.model_class, pk) for pk in request.GET.getlist("id"))
        items = self.get_objects([pk for pk in cleaned if pk is not None])
        return self.get_multiple_chosen_response(items)

    chooser.ChosenViewMixin.get_object = get_object
    chooser.ChosenMultipleViewMixin.get = get
