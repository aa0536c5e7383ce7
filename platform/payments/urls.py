"""The payment pages of the national portal (included by config.urls_public)."""

from django.urls import path

from . import views

urlpatterns = [
    path("pay/callback/", views.callback, name="payment_callback"),
    path("pay/sandbox/<str:token>/", views.sandbox, name="payment_sandbox"),
    path("pay/receipt/<str:order_id>/", views.receipt, name="payment_receipt"),
    path("pay/<str:code>/", views.pay, name="payment_pay"),
]
