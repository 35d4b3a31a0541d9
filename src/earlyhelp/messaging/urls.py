"""URLs of earlyhelp.messaging."""

from django.urls import path

from . import views

urlpatterns = [
    path("account/messages/", views.message_preferences, name="message-preferences"),
    path("episodes/<int:episode_id>/meetings/invite/", views.taf_invitation, name="episode-taf-invite"),
]
