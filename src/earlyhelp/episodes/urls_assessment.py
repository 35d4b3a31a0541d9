from django.urls import path

from .views import assessment as views

urlpatterns = [
    path("episodes/<int:episode_id>/assessment/", views.assessment_overview, name="episode-assessment"),
    path("episodes/<int:episode_id>/assessment/start/", views.assessment_start, name="episode-assessment-start"),
    path("episodes/<int:episode_id>/assessment/children/<int:section_id>/", views.assessment_child,
         name="episode-assessment-child"),
    path("episodes/<int:episode_id>/assessment/children/add/", views.assessment_add_children,
         name="episode-assessment-add-children"),
    path("episodes/<int:episode_id>/assessment/family/", views.assessment_family_ratings,
         name="episode-assessment-family-ratings"),
    path("episodes/<int:episode_id>/assessment/check/", views.assessment_check, name="episode-assessment-check"),
    path("episodes/<int:episode_id>/assessment/family-views/", views.assessment_family, name="episode-assessment-family"),
    path("episodes/<int:episode_id>/assessment/analysis/", views.assessment_analysis, name="episode-assessment-analysis"),
    path("episodes/<int:episode_id>/assessment/needs/", views.assessment_needs, name="episode-assessment-needs"),
    path("episodes/<int:episode_id>/assessment/engagement/", views.assessment_engagement,
         name="episode-assessment-engagement"),
    path("episodes/<int:episode_id>/assessment/complete/", views.assessment_complete, name="episode-assessment-complete"),
    path("episodes/<int:episode_id>/assessment/sign-off/", views.assessment_sign_off, name="episode-assessment-sign-off"),
    path("episodes/<int:episode_id>/assessment/monitoring/", views.assessment_monitoring, name="episode-monitoring"),
    path("episodes/<int:episode_id>/assessment.pdf", views.assessment_pdf_download, name="episode-assessment-pdf"),
    path("episodes/<int:episode_id>/plan.pdf", views.plan_pdf_download, name="episode-plan-pdf"),
]
