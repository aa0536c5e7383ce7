"""User management in the Wagtail admin: roles only, never a superuser.

Superusers are the platform's operators, made from the command line
(``createsuperuser``); nobody can become one through a web form, whoever edits,
and nobody but an operator can edit an operator's account (its password, its
e-mail), as Wagtail already refuses to let them delete it.
"""

from django.core.exceptions import PermissionDenied
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import EditView as WagtailEditView
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet


class _WithoutSuperuser:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("is_superuser", None)


class RoleUserCreationForm(_WithoutSuperuser, UserCreationForm):
    pass


class RoleUserEditForm(_WithoutSuperuser, UserEditForm):
    pass


class EditView(WagtailEditView):
    def get_object(self, queryset=None):
        user = super().get_object(queryset)
        if user.is_superuser and not self.request.user.is_superuser:
            raise PermissionDenied
        return user


class UserViewSet(WagtailUserViewSet):
    edit_view_class = EditView

    def get_form_class(self, for_update=False):
        return RoleUserEditForm if for_update else RoleUserCreationForm
