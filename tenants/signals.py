"""What the agency registry announces, for the apps above it to act on.

The registry is the lowest app but one: it never imports the apps that build on it.
They listen here instead.
"""

from django.dispatch import Signal

# Sent inside the onboarding transaction, with the agency's schema active, once the
# schema exists: receivers build what every agency starts with (its home page and
# Wagtail site). Arguments: ``agency``.
agency_schema_created = Signal()
