from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = _("Agency registry")


class PanjerehUsersConfig(WagtailUsersAppConfig):
    """Wagtail's user management, with forms that can never make a superuser.

    Wagtail lets anyone who may add or change users tick "Administrator"
    (superuser); an agency administrator must give roles, never more than roles.
    """

    user_viewset = "tenants.users.UserViewSet"
