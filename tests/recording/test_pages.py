"""The notes pages: recording, drafts opened again in two tabs, completion, addenda, and what each
person sees; every look audited."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.audit.models import AccessRecord
from earlyhelp.recording.models import CaseNote

pytestmark = pytest.mark.django_db


def opened_token(response) -> str:
    return re.search(r'name="opened" value="([^"]+)"', response.content.decode()).group(1)


def form_data(world, **extra) -> dict:
    day = timezone.localdate() - timedelta(days=2)
    people = world["people"]
    data = {
        "kind": "home_visit", "happened_on_0": day.day, "happened_on_1": day.month, "happened_on_2": day.year,
        "happened_time": "2:30pm", "present": "Dawn, Mia and Leo",
        f"child_{people['mia'].pk}": "seen_alone", f"child_{people['leo'].pk}": "seen",
        "what_happened": "Mia showed me her room", "childs_words": "I feel safe here",
        "analysis": "Home conditions improved", "next_steps": "Visit again in two weeks", "action": "complete",
    }
    data.update(extra)
    return data


def test_recording_a_completed_home_visit_through_the_page(client, world):
    client.force_login(world["users"]["lead"])
    url = reverse("note-create", kwargs={"family_id": world["family"].pk})
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Was Mia Hartley seen?" in html and "Seen alone" in html and "episode EP-REC-1" in html
    response = client.post(url, form_data(world, significant="on", significant_category="disclosure"))
    note = CaseNote.objects.get()
    assert response.status_code == 302 and response.url == reverse("note-detail", kwargs={"note_id": note.pk})
    assert note.is_completed and note.time_known and note.episode == world["episode"]
    local = timezone.localtime(note.happened_at)
    assert (local.hour, local.minute) == (14, 30)
    assert {row.child.first_name: (row.seen, row.seen_alone) for row in note.children.all()} == {
        "Mia": (True, True), "Leo": (True, False)}
    listing = client.get(reverse("family-notes", kwargs={"family_id": world["family"].pk})
                         + f"?child={world['people']['mia'].pk}").content.decode()
    assert "Significant event: Disclosure by the child" in listing and "Mia Hartley: seen alone" in listing
    episode_page = client.get(reverse("episode-notes", kwargs={"episode_id": world["episode"].pk}))
    assert episode_page.status_code == 200 and "Home visit" in episode_page.content.decode()


def test_errors_are_shown_beside_their_fields_and_nothing_is_saved(client, world):
    client.force_login(world["users"]["lead"])
    url = reverse("note-create", kwargs={"family_id": world["family"].pk})
    response = client.post(url, form_data(world, kind="", happened_time="half two", what_happened="",
                                          significant="on"))
    html = response.content.decode()
    assert response.status_code in (200, 422)
    for message in ("Select what kind of contact it was", "Enter the time as, for example, 9:30am or 14:30"):
        assert message in html
    assert not CaseNote.objects.exists()
    response = client.post(url, form_data(world, what_happened="", significant="on"))
    html = response.content.decode()
    assert "Enter what happened" in html and "Select what kind of significant event it was" in html
    assert not CaseNote.objects.exists()


def test_a_draft_opened_in_two_tabs_is_never_silently_overwritten(client, world):
    lead = world["users"]["lead"]
    client.force_login(lead)
    client.post(reverse("note-create", kwargs={"family_id": world["family"].pk}),
                form_data(world, action="draft", what_happened="First words"))
    note = CaseNote.objects.get()
    assert not note.is_completed
    edit = reverse("note-edit", kwargs={"note_id": note.pk})
    first_tab, second_tab = opened_token(client.get(edit)), opened_token(client.get(edit))
    saved = client.post(edit, form_data(world, action="draft", what_happened="From the first tab",
                                        opened=first_tab))
    assert saved.status_code == 302
    clash = client.post(edit, form_data(world, action="draft", what_happened="From the second tab",
                                        opened=second_tab))
    assert clash.status_code == 409
    assert "From the first tab" in clash.content.decode()  # their version, beside what was typed
    note.refresh_from_db()
    assert note.what_happened == "From the first tab" and not note.is_completed
    # A field changed in one tab only is merged, not lost: the second tab completes the note.
    done = client.post(edit, form_data(world, action="complete", what_happened="From the first tab",
                                       analysis="Added in the second tab", opened=second_tab))
    assert done.status_code == 302
    note.refresh_from_db()
    assert note.is_completed and note.analysis == "Added in the second tab"


def test_a_completed_note_is_refused_to_an_edit_and_takes_an_addendum(client, world):
    users = world["users"]
    client.force_login(users["lead"])
    client.post(reverse("note-create", kwargs={"family_id": world["family"].pk}), form_data(world))
    note = CaseNote.objects.get()
    edit = reverse("note-edit", kwargs={"note_id": note.pk})
    assert client.get(edit).status_code == 409
    refused = client.post(edit, form_data(world, what_happened="Rewritten"))
    assert refused.status_code == 409 and "Add an addendum instead" in refused.content.decode()
    note.refresh_from_db()
    assert note.what_happened == "Mia showed me her room"

    client.force_login(users["partner"])
    detail = reverse("note-detail", kwargs={"note_id": note.pk})
    assert "Add the addendum" in client.get(detail).content.decode()
    added = client.post(reverse("note-addendum", kwargs={"note_id": note.pk}), {"text": "School saw Mia smiling"})
    assert added.status_code == 302
    html = client.get(detail).content.decode()
    assert "School saw Mia smiling" in html and "Partner Tester" in html
    empty = client.post(reverse("note-addendum", kwargs={"note_id": note.pk}), {"text": ""})
    assert "Enter the addendum" in empty.content.decode() and note.addenda.count() == 1


def test_a_restricted_note_shows_only_that_it_exists_to_a_partner(client, world):
    users = world["users"]
    client.force_login(users["lead"])
    client.post(reverse("note-create", kwargs={"family_id": world["family"].pk}),
                form_data(world, restricted="on", restricted_reason="Disclosure of domestic abuse",
                          what_happened="Dawn disclosed domestic abuse"))
    note = CaseNote.objects.get()
    assert note.restricted
    client.force_login(users["partner"])
    listing = client.get(reverse("family-notes", kwargs={"family_id": world["family"].pk})).content.decode()
    assert "A restricted note exists" in listing
    assert "domestic abuse" not in listing and "Mia showed" not in listing
    response = client.get(reverse("note-detail", kwargs={"note_id": note.pk}))
    assert response.status_code == 403 and "domestic abuse" not in response.content.decode()
    client.force_login(users["allocated"])
    assert "Dawn disclosed domestic abuse" in client.get(
        reverse("note-detail", kwargs={"note_id": note.pk})).content.decode()


def test_the_notes_pages_record_each_look(client, world):
    lead = world["users"]["lead"]
    client.force_login(lead)
    client.post(reverse("note-create", kwargs={"family_id": world["family"].pk}), form_data(world))
    note = CaseNote.objects.get()
    for url in (reverse("note-detail", kwargs={"note_id": note.pk}),
                reverse("family-notes", kwargs={"family_id": world["family"].pk}),
                reverse("episode-notes", kwargs={"episode_id": world["episode"].pk})):
        before = AccessRecord.objects.count()
        assert client.get(url).status_code == 200
        assert AccessRecord.objects.filter(user=lead, family=world["family"]).count() >= 1
        assert AccessRecord.objects.count() == before + 1, url


def test_the_family_page_and_the_episode_link_to_the_notes(client, world):
    client.force_login(world["users"]["lead"])
    family_page = client.get(reverse("family-detail", kwargs={"family_id": world["family"].pk})).content.decode()
    assert reverse("family-notes", kwargs={"family_id": world["family"].pk}) in family_page
    episode_page = client.get(reverse("episode-detail", kwargs={"episode_id": world["episode"].pk})).content.decode()
    assert reverse("episode-notes", kwargs={"episode_id": world["episode"].pk}) in episode_page


def test_a_child_from_another_family_is_not_found(client, world):
    from earlyhelp.people.models import Person

    stranger = Person.objects.create(first_name="Sam", last_name="Else")
    client.force_login(world["users"]["lead"])
    url = reverse("family-notes", kwargs={"family_id": world["family"].pk})
    assert client.get(url + f"?child={stranger.pk}").status_code == 404
    assert client.get(url + "?child=abc").status_code == 404


def test_the_note_page_keeps_a_draft_as_it_is_typed_and_a_save_deletes_it(client, world):
    from earlyhelp.web.models import Draft

    lead = world["users"]["lead"]
    client.force_login(lead)
    url = reverse("note-create", kwargs={"family_id": world["family"].pk})
    assert 'data-draft-save-url="/drafts/save/"' in client.get(url).content.decode()
    saved = client.post(reverse("draft-save"), {"draft_path": url, "what_happened": "Half typed"},
                        HTTP_ACCEPT="application/json")
    assert saved.status_code == 200 and saved.json()["saved"]
    assert "You have unsaved changes on this page from" in client.get(url).content.decode()
    assert client.post(url, form_data(world, action="draft")).status_code == 302
    assert not Draft.objects.filter(user=lead).exists()
