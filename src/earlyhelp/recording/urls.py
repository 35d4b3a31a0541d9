from django.urls import path

from . import chronology_views, views

urlpatterns = [
    path("families/<int:family_id>/notes/", views.family_notes, name="family-notes"),
    path("families/<int:family_id>/notes/new/", views.note_create, name="note-create"),
    path("episodes/<int:episode_id>/notes/", views.episode_notes, name="episode-notes"),
    path("notes/<int:note_id>/", views.note_detail, name="note-detail"),
    path("notes/<int:note_id>/edit/", views.note_edit, name="note-edit"),
    path("notes/<int:note_id>/addendum/", views.note_addendum, name="note-addendum"),
    path("episodes/<int:episode_id>/oversight/", views.episode_oversight, name="episode-oversight"),
    path("episodes/<int:episode_id>/oversight/new/", views.oversight_create, name="oversight-create"),
    path("families/<int:family_id>/chronology/", chronology_views.family_chronology, name="family-chronology"),
    path("families/<int:family_id>/chronology.pdf", chronology_views.family_chronology_pdf,
         name="family-chronology-pdf"),
    path("families/<int:family_id>/chronology.csv", chronology_views.family_chronology_csv,
         name="family-chronology-csv"),
]
