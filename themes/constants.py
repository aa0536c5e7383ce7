from django.db import models
from django.utils.translation import gettext_lazy as _


class AccentColour(models.TextChoices):
    """Accent colours of the national design system.

    Each keeps white text at a WCAG AA contrast of at least 4.5:1, so no agency
    can pick a colour that makes its site unreadable.
    """

    BLUE = "#0b5cad", _("Blue")
    TEAL = "#00695c", _("Teal")
    GREEN = "#2e6b30", _("Green")
    PURPLE = "#5b3a8f", _("Purple")
    MAROON = "#8c1d40", _("Maroon")
    BROWN = "#6d4c2f", _("Brown")
    SLATE = "#37474f", _("Slate")


def accent_class(colour: str) -> str:
    """The CSS class of an accent colour of the palette (``accent-teal``); "" for any other."""
    try:
        return f"accent-{AccentColour(colour).name.lower()}"
    except ValueError:
        return ""
