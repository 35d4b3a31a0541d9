"""Drafts of long forms and the time-out: only the user's own drafts, only on the pages that take
them, within a size; a submission that meets an expired session is kept and offered back after
signing in again, never submitted."""

import json
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import User
from earlyhelp.audit.models import AccessRecord
from earlyhelp.episodes.models import Assessment
from earlyhelp.episodes.services import assessment as service
from earlyhelp.web import idle_timeout
from earlyhelp.web.admin import admin_site
from earlyhelp.web.drafts import DRAFT_PATHS_KEY, MAX_DRAFT_CHARACTERS, drafts_expire
from earlyhelp.web.models import Draft
from tests.episodes.test_assessment_support import build_episode

KEPT_NOTICE = "You were signed out. What you typed has been kept: check it and save again."


@pytest.fixture
def practitioner(organisations):
    return User.objects.get(username="practitioner")


@pytest.fixture
def family_views_url(practitioner):
    episode, _ = build_episode(lead=practitioner)
    service.assessment_start(episode=episode, by=practitioner)
    return reverse("episode-assessment-family", kwargs={"episode_id": episode.pk})


def _save_draft(client, path, **fields):
    return client.post(reverse("draft-save"), {"draft_path": path, **fields}, HTTP_ACCEPT="application/json")


def _draft_data(response) -> dict:
    page = response.content.decode()
    start = page.index('<script id="eh-draft-data" type="application/json">') + len(
        '<script id="eh-draft-data" type="application/json">')
    return json.loads(page[start:page.index("</script>", start)])


def test_a_draft_is_kept_for_its_user_and_offered_back_on_that_page(client, practitioner, family_views_url):
    client.force_login(practitioner)
    records = AccessRecord.objects.count()
    response = _save_draft(client, family_views_url, parents_views="Bola says she is exhausted.",
                           csrfmiddlewaretoken="secret", new_password="hunter2hunter2")
    assert response.status_code == 200 and response.json()["saved"]
    assert AccessRecord.objects.count() == records  # it reads nothing, so it records no access
    draft = Draft.objects.get(user=practitioner, key=family_views_url)
    assert draft.data["fields"] == {"parents_views": ["Bola says she is exhausted."]}

    page = client.get(family_views_url)
    assert "You have unsaved changes on this page from" in page.content.decode()
    assert _draft_data(page)["fields"]["parents_views"] == ["Bola says she is exhausted."]
    assert 'data-draft-save-url="/drafts/save/"' in page.content.decode()

    # Saving the form deletes the draft.
    response = client.post(family_views_url, {"parents_views": "Bola says she is exhausted.", "next": "later"})
    assert response.status_code == 302
    assert not Draft.objects.filter(user=practitioner).exists()
    assert "You have unsaved changes" not in client.get(family_views_url).content.decode()


def test_nobody_else_sees_a_users_draft(client, practitioner, family_views_url):
    Draft.objects.create(user=practitioner, key=family_views_url, data={"fields": {"parents_views": ["Private"]}})
    manager = User.objects.get(username="manager")
    client.force_login(manager)
    client.get("/")
    session = client.session
    session[DRAFT_PATHS_KEY] = [family_views_url]  # even when their session claims one
    session.save()
    page = client.get(family_views_url).content.decode()
    assert "Private" not in page and "unsaved changes" not in page


def test_a_page_the_user_may_no_longer_open_shows_no_draft(client, family_views_url):
    partner = User.objects.get(username="partner")
    Draft.objects.create(user=partner, key=family_views_url, data={"fields": {"parents_views": ["Typed before"]}})
    client.force_login(partner)
    page = client.get(family_views_url)
    assert page.status_code in (403, 404)
    assert "Typed before" not in page.content.decode()


@pytest.mark.parametrize("path", [
    "/", "/families/1/", "/nowhere/", "https://elsewhere.example/episodes/1/assessment/family-views/",
    "//elsewhere.example/episodes/1/assessment/family-views/", "",
])
def test_drafts_only_for_pages_that_take_them(client, practitioner, path):
    client.force_login(practitioner)
    assert _save_draft(client, path, notes="x").status_code == 400
    assert not Draft.objects.exists()


def test_a_draft_has_a_size_limit(client, practitioner, family_views_url):
    client.force_login(practitioner)
    response = _save_draft(client, family_views_url, parents_views="x" * (MAX_DRAFT_CHARACTERS + 1))
    assert response.status_code == 413
    assert not Draft.objects.exists()


def test_the_scripts_endpoints_need_signing_in_and_the_csrf_token(practitioner, family_views_url):
    anonymous = Client()
    assert _save_draft(anonymous, family_views_url, parents_views="x").status_code == 401
    assert anonymous.post(reverse("session-extend")).status_code == 401
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(practitioner)
    assert _save_draft(strict, family_views_url, parents_views="x").status_code == 403
    assert not Draft.objects.exists()


def test_discarding_a_draft(client, practitioner, family_views_url):
    client.force_login(practitioner)
    _save_draft(client, family_views_url, parents_views="Not wanted")
    response = client.post(reverse("draft-discard"), {"draft_path": family_views_url})
    assert response.status_code == 302 and response["Location"] == family_views_url
    assert not Draft.objects.exists()


def test_drafts_expire(practitioner, settings):
    old = Draft.objects.create(user=practitioner, key="/requests/new/", data={"fields": {}})
    Draft.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=settings.EARLYHELP_DRAFT_DAYS + 1))
    Draft.objects.create(user=practitioner, key="/episodes/1/reviews/new/", data={"fields": {}})
    assert drafts_expire() == 1
    assert list(Draft.objects.values_list("key", flat=True)) == ["/episodes/1/reviews/new/"]


def test_drafts_are_not_in_django_admin():
    assert not admin_site.is_registered(Draft)


def test_pages_give_the_seconds_the_session_has_left(client, practitioner, settings, monkeypatch):
    settings.SESSION_COOKIE_AGE = 600
    # The idle clock stopped: a second ticking between the sign-in and the page would show 599.
    monkeypatch.setattr(idle_timeout, "_now", lambda: 1_800_000_000)
    client.force_login(practitioner)
    page = client.get("/").content.decode()
    assert 'data-session-seconds="600"' in page and 'id="eh-timeout-warning"' in page
    assert client.post(reverse("session-extend")).json() == {"seconds": 600}
    assert "data-session-seconds" not in Client().get(reverse("sign-in")).content.decode()


def _expire_sessions():
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))


def test_a_submission_after_the_session_ended_is_kept_and_offered_back_after_signing_in(
        client, practitioner, family_views_url):
    client.force_login(practitioner)
    client.get(family_views_url)
    _expire_sessions()

    typed = "Bola says she is exhausted and wants help with the mornings."
    response = client.post(family_views_url, {"parents_views": typed, "next": "continue",
                                              "csrfmiddlewaretoken": "x", "password": "no"})
    assert response.status_code == 302
    assert response["Location"] == f"/sign-in/?next={family_views_url}"
    assert not Assessment.objects.get().parents_views  # never submitted for them
    draft = Draft.objects.get(user=practitioner, key=family_views_url)
    assert draft.kept_at_sign_out
    assert draft.data["fields"] == {"parents_views": [typed], "next": ["continue"]}

    client.force_login(practitioner)
    page = client.get(family_views_url)
    assert KEPT_NOTICE in page.content.decode()
    assert _draft_data(page)["fields"]["parents_views"] == [typed]
    assert typed in page.content.decode()  # shown without JavaScript too

    client.post(family_views_url, {"parents_views": typed, "next": "later"})
    assert Assessment.objects.get().parents_views == typed
    assert not Draft.objects.exists()


def test_a_submission_to_another_address_is_kept_for_the_page_the_form_was_on(client, practitioner, family_views_url):
    client.force_login(practitioner)
    client.get(family_views_url)
    _expire_sessions()
    complete_url = family_views_url.replace("family-views/", "children/add/")  # answers with a redirect
    response = client.post(complete_url, {"reason": "typed words here"}, HTTP_REFERER=f"http://testserver{family_views_url}")
    assert response["Location"] == f"/sign-in/?next={family_views_url}"
    assert Draft.objects.get().data == {"fields": {"reason": ["typed words here"]}, "action": complete_url}

    client.force_login(practitioner)
    assert KEPT_NOTICE in client.get(family_views_url).content.decode()
    client.post(reverse("sign-out"), HTTP_REFERER=f"http://testserver{family_views_url}")
    assert Draft.objects.exists()  # signing out from the page is not saving its form
    client.force_login(practitioner)
    client.get(family_views_url)
    client.post(complete_url, {"reason": "typed words here"}, HTTP_REFERER=f"http://testserver{family_views_url}")
    assert not Draft.objects.exists()  # posted again, signed in: the kept draft has done its job


def test_a_submission_from_an_unknown_session_is_not_kept(client, practitioner, family_views_url):
    response = client.post(family_views_url, {"parents_views": "Whose is this?"})
    assert response["Location"] == f"/sign-in/?next={family_views_url}"
    assert not Draft.objects.exists()


def test_a_kept_submission_keeps_the_version_it_was_typed_against(client, practitioner, family_views_url):
    """Restored after signing in, it is refused as a clash when someone saved the same field meanwhile."""
    from tests.web.test_versioning import opened_token

    client.force_login(practitioner)
    token = opened_token(client.get(family_views_url))
    _expire_sessions()
    client.post(family_views_url, {"parents_views": "Typed before the time-out.", "opened": token})
    kept = Draft.objects.get().data["fields"]
    assert kept["opened"] == [token]

    assessment = Assessment.objects.get()
    service.assessment_family_views_save(assessment=assessment, by=User.objects.get(username="manager"),
                                         parents_views="Saved by someone else meanwhile.")
    client.force_login(practitioner)
    client.get(family_views_url)
    response = client.post(family_views_url, {name: values[0] for name, values in kept.items()})
    assert response.status_code == 409
    assert Assessment.objects.get().parents_views == "Saved by someone else meanwhile."
