"""URLs of earlyhelp.api: the API under /api/v1/ (config/urls.py), and the tokens page under the account.

The API's views are exempt from the pages' sign-in redirect (login_not_required): they answer 401
without a token instead, through DRF's authentication.
"""

from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path, register_converter
from drf_spectacular.views import SpectacularAPIView

from . import views


class RecordId:
    """A record's number: digits, at most 18 of them, so that no number reaches the database too large
    for its column (a larger one is any other address: a 404 in JSON)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(RecordId, "record_id")


def api(view):
    return login_not_required(view.as_view())


urlpatterns = [
    path("schema/", login_not_required(SpectacularAPIView.as_view(authentication_classes=[], permission_classes=[])),
         name="api-schema"),
    path("families/", api(views.FamilyList), name="api-families"),
    path("families/<record_id:family_id>/", api(views.FamilyDetail), name="api-family"),
    path("people/", api(views.PersonList), name="api-people"),
    path("people/<record_id:person_id>/", api(views.PersonDetail), name="api-person"),
    path("requests/", api(views.RequestList), name="api-requests"),
    path("requests/<record_id:request_id>/", api(views.RequestDetail), name="api-request"),
    path("episodes/", api(views.EpisodeList), name="api-episodes"),
    path("episodes/<record_id:episode_id>/", api(views.EpisodeDetail), name="api-episode"),
    path("episodes/<record_id:episode_id>/plan/", api(views.EpisodePlan), name="api-episode-plan"),
    path("notes/", api(views.NoteList), name="api-notes"),
    path("notes/<record_id:note_id>/", api(views.NoteDetail), name="api-note"),
    re_path(r"^(?P<path>.*)$", views.not_found, name="api-not-found"),
]
