"""Signals for apps above this one (service_requests imports nothing of theirs)."""

from django.dispatch import Signal

# A request reached a new status (``request``, ``from_status``, ``to_status``); sent inside
# the transaction of the change, so what a receiver writes commits or rolls back with it.
status_changed = Signal()
