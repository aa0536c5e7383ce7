from django.urls import path, register_converter, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from tenants.menus import AgencyMenuItem, NationalMenuItem
from tenants.roles import FILL_SELF_ASSESSMENT

from . import ranking_views, views


class RowId:
    """A row's id: at most 18 digits, so any id typed fits a bigint (never a 500)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(RowId, "evaluation_id")


@hooks.register("register_admin_urls")
def register_evaluation_urls():
    return [
        path("self-assessment/", views.agency_index, name="evaluation_agency"),
        path(
            "self-assessment/<evaluation_id:period>/",
            views.agency_assessment,
            name="evaluation_agency_assessment",
        ),
        path(
            "self-assessment/evidence/<evaluation_id:pk>/",
            views.agency_evidence,
            name="evaluation_agency_evidence",
        ),
        path(
            "self-assessment/inspections/<evaluation_id:pk>/",
            views.agency_inspection,
            name="evaluation_agency_inspection",
        ),
        path(
            "self-assessment/inspections/<evaluation_id:pk>/findings/<evaluation_id:finding>/",
            views.agency_answer_finding,
            name="evaluation_agency_answer",
        ),
        path(
            "self-assessment/inspections/<evaluation_id:pk>/photos/<evaluation_id:photo>/",
            views.agency_photo,
            name="evaluation_agency_photo",
        ),
        path("evaluation/", views.national_index, name="evaluation_national"),
        path("evaluation/periods/", views.national_new_period, name="evaluation_new_period"),
        path("evaluation/ranking/", ranking_views.ranking_index, name="evaluation_ranking"),
        path(
            "evaluation/ranking/export.xlsx",
            ranking_views.ranking_export,
            name="evaluation_ranking_export",
        ),
        path(
            "evaluation/ranking/weights/",
            ranking_views.ranking_weights,
            name="evaluation_ranking_weights",
        ),
        path(
            "evaluation/ranking/agency/<slug:slug>/",
            ranking_views.ranking_agency,
            name="evaluation_ranking_agency",
        ),
        path(
            "evaluation/<evaluation_id:period>/<slug:slug>/",
            views.national_agency,
            name="evaluation_national_agency",
        ),
        path(
            "evaluation/<evaluation_id:period>/<slug:slug>/reopen/",
            views.national_reopen,
            name="evaluation_national_reopen",
        ),
        path(
            "evaluation/<evaluation_id:period>/<slug:slug>/inspect/",
            views.national_inspect,
            name="evaluation_national_inspect",
        ),
        path(
            "evaluation/inspections/<evaluation_id:pk>/",
            views.national_inspection,
            name="evaluation_national_inspection",
        ),
        path(
            "evaluation/inspections/<evaluation_id:pk>/issue/",
            views.national_issue,
            name="evaluation_national_issue",
        ),
        path(
            "evaluation/inspections/<evaluation_id:pk>/photos/<evaluation_id:photo>/",
            views.national_photo,
            name="evaluation_national_photo",
        ),
        path(
            "evaluation/evidence/<evaluation_id:pk>/",
            views.national_evidence,
            name="evaluation_national_evidence",
        ),
    ]


EVALUATION_LOG_ACTIONS = {
    "panjereh.evaluation.save": (_("Save a self-assessment"), _("Self-assessment saved")),
    "panjereh.evaluation.submit": (_("Submit a self-assessment"), _("Self-assessment submitted")),
    "panjereh.evaluation.reopen": (_("Reopen a self-assessment"), _("Self-assessment reopened")),
    "panjereh.evaluation.period": (
        _("Open an evaluation period"),
        _("Evaluation period opened"),
    ),
    "panjereh.evaluation.inspect": (_("Record an inspection"), _("Inspection recorded")),
    "panjereh.evaluation.issue": (
        _("Issue an inspection's written result"),
        _("Inspection result issued"),
    ),
    "panjereh.evaluation.answer_finding": (
        _("Answer an inspection finding"),
        _("Inspection finding answered"),
    ),
    "panjereh.evaluation.weights": (
        _("Set the ranking's weights"),
        _("Ranking weights set"),
    ),
}


@hooks.register("register_log_actions")
def register_evaluation_log_actions(actions):
    for action, (label, message) in EVALUATION_LOG_ACTIONS.items():
        actions.register_action(action, label, message)


@hooks.register("register_admin_menu_item")
def register_self_assessment_menu_item():
    return AgencyMenuItem(
        _("Self-assessment"),
        reverse("evaluation_agency"),
        icon_name="tasks",
        order=60,
        permission=FILL_SELF_ASSESSMENT,
    )


@hooks.register("register_admin_menu_item")
def register_evaluation_menu_item():
    return NationalMenuItem(
        _("Evaluation and inspections"),
        reverse("evaluation_national"),
        icon_name="tasks",
        order=180,
        roles=views.NATIONAL_READERS,
    )


@hooks.register("register_admin_menu_item")
def register_ranking_menu_item():
    return NationalMenuItem(
        _("Ranking of agencies"),
        reverse("evaluation_ranking"),
        icon_name="order",
        order=181,
        roles=views.NATIONAL_READERS,
    )
