from django.urls import path

from . import views

urlpatterns = [
    path("audit/", views.audit_search, name="audit-search"),
    path("audit/people/<int:person_id>/", views.person_access_history, name="audit-person"),
    path("audit/people/<int:person_id>/subject-access", views.subject_access_ask, name="audit-subject-access"),
    path("audit/people/<int:person_id>/access.csv", views.person_access_history_csv, name="audit-person-csv"),
    path("families/<int:family_id>/break-glass/", views.break_glass, name="break-glass"),
]
