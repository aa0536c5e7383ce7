from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from . import views


@hooks.register("register_admin_urls")
def register_desk_urls():
    return [path("requests/<str:code>/fees-paid/", views.desk_paid, name="payment_desk_paid")]


@hooks.register("register_log_actions")
def register_payment_log_actions(actions):
    actions.register_action(
        "panjereh.request.fees_paid",
        _("Mark fees paid at the desk"),
        _("Fees marked paid at the desk"),
    )
