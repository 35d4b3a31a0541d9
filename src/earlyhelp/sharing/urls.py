from django.urls import path

from . import views

urlpatterns = [
    path("episodes/<int:episode_id>/consent/", views.episode_consent, name="episode-consent"),
    path("episodes/<int:episode_id>/consent/recorded/", views.consent_recorded, name="episode-consent-recorded"),
    path("episodes/<int:episode_id>/consent/close/", views.consent_close, name="episode-consent-close"),
    path(
        "episodes/<int:episode_id>/consent/<int:consent_id>/withdraw/",
        views.consent_withdraw, name="episode-consent-withdraw",
    ),
    path("episodes/<int:episode_id>/sharing/", views.episode_sharing, name="episode-sharing"),
    path("episodes/<int:episode_id>/sharing/new/", views.sharing_create, name="episode-sharing-create"),
    path("sharing/for-review/", views.sharing_for_review, name="sharing-for-review"),
    path("sharing/<int:decision_id>/seen/", views.sharing_mark_seen, name="sharing-mark-seen"),
]
