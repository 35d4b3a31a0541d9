from django.urls import path

from .views import plan as views

urlpatterns = [
    path("episodes/<int:episode_id>/plan/", views.plan_page, name="episode-plan"),
    path("episodes/<int:episode_id>/plan/agree/", views.plan_agree, name="episode-plan-agree"),
    path("episodes/<int:episode_id>/plan/versions/<int:number>/", views.plan_version_detail, name="episode-plan-version"),
    path("episodes/<int:episode_id>/plan/outcomes/new/", views.outcome_create, name="episode-outcome-create"),
    path("episodes/<int:episode_id>/plan/outcomes/<int:outcome_id>/actions/new/", views.plan_action_create,
         name="episode-action-create"),
    path("episodes/<int:episode_id>/plan/actions/<int:action_id>/status/", views.plan_action_status,
         name="episode-action-status"),
    path("episodes/<int:episode_id>/meetings/new/", views.taf_meeting_create, name="episode-taf-create"),
    path("episodes/<int:episode_id>/meetings/<int:meeting_id>/", views.taf_meeting_detail, name="episode-taf-detail"),
    path("episodes/<int:episode_id>/reviews/", views.reviews_page, name="episode-reviews"),
    path("episodes/<int:episode_id>/reviews/new/", views.review_create, name="episode-review-create"),
    path("episodes/<int:episode_id>/reviews/<int:review_id>/", views.review_detail, name="episode-review-detail"),
]
