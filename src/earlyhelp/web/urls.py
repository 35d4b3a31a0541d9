from django.urls import path

from . import draft_views, public_pages, views

urlpatterns = [
    path("", views.home, name="home"),
    path("session/extend/", draft_views.session_extend, name="session-extend"),
    path("drafts/save/", draft_views.draft_save_view, name="draft-save"),
    path("drafts/discard/", draft_views.draft_discard_view, name="draft-discard"),
    path("accessibility/", public_pages.accessibility_statement, name="accessibility-statement"),
    path("cookies/", public_pages.cookies, name="cookies"),
]
