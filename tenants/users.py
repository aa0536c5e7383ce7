"""User management in the Wagtail admin: roles only, never a superuser.

Superusers are the platform's operators, made from the command line
(``createsuperuser``); nobody can become one through a web form, whoever edits.
"""

from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet


class _WithoutSuperuser:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("is_superuser", None)


class RoleUserCreationForm(_WithoutSuperuser, UserCreationForm):
    pass


class RoleUserEditForm(_WithoutSuperuser, UserEditForm):
    pass


class UserViewSet(WagtailUserViewSet):
    def get_form_class(self, for_update=False):
        return RoleUserEditForm if for_update else RoleUserCreationForm
