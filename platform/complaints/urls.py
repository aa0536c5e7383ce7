"""The citizen's complaint pages on the national portal (included by config.urls_public)."""

from django.urls import path

from . import views

urlpatterns = [
    path("complaints/new/", views.file_complaint, name="complaint_new"),
    path("complaints/track/", views.track, name="complaint_track"),
    path("complaints/track/code/", views.send_code, name="complaint_send_code"),
    path("complaints/track/prove/", views.prove, name="complaint_prove"),
    path("complaints/<str:code>/files/<int:pk>/", views.complaint_file, name="complaint_file"),
]
