from django.urls import path

from . import views

urlpatterns = [
    path("track/<str:code>/appointment/", views.book, name="appointment_book"),
    path("track/<str:code>/appointment/cancel/", views.cancel, name="appointment_cancel"),
]
