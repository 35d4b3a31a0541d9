from django.urls import path

from . import views

urlpatterns = [
    path("families/<int:family_id>/documents/", views.family_documents, name="family-documents"),
    path("families/<int:family_id>/documents/new/", views.family_document_upload, name="family-document-upload"),
    path("people/<int:person_id>/documents/", views.person_documents, name="person-documents"),
    path("people/<int:person_id>/documents/new/", views.person_document_upload, name="person-document-upload"),
    path("episodes/<int:episode_id>/documents/", views.episode_documents, name="episode-documents"),
    path("episodes/<int:episode_id>/documents/new/", views.episode_document_upload,
         name="episode-document-upload"),
    path("episodes/<int:episode_id>/assessment.pdf/given/", views.assessment_given, name="episode-assessment-given"),
    path("episodes/<int:episode_id>/plan.pdf/given/", views.plan_given, name="episode-plan-given"),
    path("documents/<int:document_id>/download/", views.document_download, name="document-download"),
]
