from django.urls import path

from .views import stepping

urlpatterns = [
    path("episodes/<int:episode_id>/next-steps/", stepping.episode_stepping, name="episode-stepping"),
    path("episodes/<int:episode_id>/step-up/", stepping.episode_step_up, name="episode-step-up"),
    path("episodes/<int:episode_id>/close/", stepping.episode_close, name="episode-close"),
    path("step-ups/<int:step_up_id>/", stepping.step_up_decide, name="step-up-decide"),
    path("families/<int:family_id>/step-down/", stepping.step_down_propose, name="step-down-propose"),
    path("step-downs/", stepping.step_downs_list, name="step-downs"),
    path("step-downs/<int:step_down_id>/", stepping.step_down_detail, name="step-down-detail"),
]
