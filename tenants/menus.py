"""Admin menu items shown exactly where their screens answer: the same guards as the views
(``tenants.guards``), so a menu never offers a screen that would refuse."""

from wagtail.admin.menu import MenuItem

from .constants import NationalRole
from .guards import agency_screen_allowed, national_screen_allowed


class AgencyMenuItem(MenuItem):
    """In an agency's admin only, to users with ``permission`` (any staff: ``None``)."""

    def __init__(self, *args, permission: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return agency_screen_allowed(request, self.permission)


class NationalMenuItem(MenuItem):
    """In the national admin only (the public schema), to users holding one of ``roles``."""

    def __init__(self, *args, roles=(NationalRole.ADMINISTRATOR,), **kwargs):
        super().__init__(*args, **kwargs)
        self.roles = tuple(roles)

    def is_shown(self, request):
        return national_screen_allowed(request, self.roles)
