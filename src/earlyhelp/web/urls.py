from django.urls import path

from . import draft_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("session/extend/", draft_views.session_extend, name="session-extend"),
    path("drafts/save/", draft_views.draft_save_view, name="draft-save"),
    path("drafts/discard/", draft_views.draft_discard_view, name="draft-discard"),
]
