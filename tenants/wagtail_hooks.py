from django.utils.translation import gettext_lazy as _
from wagtail import hooks


@hooks.register("register_log_actions")
def register_agency_log_actions(actions):
    actions.register_action("panjereh.agency.onboard", _("Onboard agency"), _("Agency onboarded"))
    actions.register_action(
        "panjereh.agency.deactivate", _("Deactivate agency"), _("Agency deactivated")
    )
    actions.register_action("panjereh.agency.activate", _("Activate agency"), _("Agency activated"))
    actions.register_action(
        "panjereh.invitation.accept",
        _("Accept invitation"),
        _("Invitation accepted: agency administrator"),
    )
    actions.register_action(
        "panjereh.catalogue.import", _("Import catalogue"), _("Catalogue imported")
    )
    actions.register_action(
        "panjereh.catalogue.export", _("Export catalogue"), _("Catalogue exported")
    )
