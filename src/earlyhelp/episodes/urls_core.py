from django.urls import path

from .views import core as views

urlpatterns = [
    path("families/<int:family_id>/start-early-help/", views.episode_start, name="episode-start"),
    path(
        "families/<int:family_id>/start-early-help/allocation/<int:decision_id>/",
        views.episode_start_from_allocation, name="episode-start-from-allocation",
    ),
    path("episodes/<int:episode_id>/", views.episode_detail, name="episode-detail"),
    path(
        "episodes/<int:episode_id>/children/<int:child_id>/remove/",
        views.episode_child_remove, name="episode-child-remove",
    ),
    path(
        "episodes/<int:episode_id>/lead-professional/",
        views.episode_lead_professional, name="episode-lead-professional",
    ),
    path(
        "episodes/<int:episode_id>/disagreements/new/",
        views.disagreement_create, name="episode-disagreement-create",
    ),
    path(
        "episodes/<int:episode_id>/disagreements/<int:disagreement_id>/outcome/",
        views.disagreement_resolve, name="episode-disagreement-resolve",
    ),
    path("my-work/", views.my_work, name="my-work"),
]
