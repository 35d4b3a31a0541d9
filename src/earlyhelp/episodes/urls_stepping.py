from django.urls import path

from .views import stepping, stepping_pages

step_up_pages = stepping_pages.StepUpPages.as_view(url_name="episode-step-up-step")
closure_pages = stepping_pages.ClosurePages.as_view(url_name="episode-close-step")

urlpatterns = [
    path("episodes/<int:episode_id>/next-steps/", stepping.episode_stepping, name="episode-stepping"),
    # Question pages: the first address opens the journey where the user was; each question has its own.
    path("episodes/<int:episode_id>/step-up/", step_up_pages, name="episode-step-up"),
    path("episodes/<int:episode_id>/step-up/<str:step>/", step_up_pages, name="episode-step-up-step"),
    path("episodes/<int:episode_id>/close/", closure_pages, name="episode-close"),
    path("episodes/<int:episode_id>/close/<str:step>/", closure_pages, name="episode-close-step"),
    path("step-ups/<int:step_up_id>/", stepping.step_up_decide, name="step-up-decide"),
    path("families/<int:family_id>/step-down/", stepping.step_down_propose, name="step-down-propose"),
    path("step-downs/", stepping.step_downs_list, name="step-downs"),
    path("step-downs/<int:step_down_id>/", stepping.step_down_detail, name="step-down-detail"),
]
