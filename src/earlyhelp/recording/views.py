"""Pages for contacts and case notes. Thin: reads in selectors.py, writes in services.py."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from earlyhelp.episodes.selectors import episode_get_for_user
from earlyhelp.people.selectors import family_get_for_user
from earlyhelp.policy import may, require
from earlyhelp.web import versioning
from earlyhelp.web.form_errors import apply_errors
from earlyhelp.web.refusals import Refused

from . import selectors, services
from .forms import AddendumForm, CaseNoteEditForm, CaseNoteForm, NoteSearchForm, OversightForm

ALIASES = {"happened_at": "happened_on"}


def _saved_message(note) -> str:
    if note.is_completed:
        return "Note completed. It can no longer be changed: add an addendum if there is more to say."
    return "Draft saved. Only you can see it until you complete it."


def family_notes(request, family_id: int):
    family = family_get_for_user(request.user, family_id, page="Contacts and case notes", path=request.path)
    child = None
    if request.GET.get("child"):
        try:
            child = selectors.family_child_get(family, int(request.GET["child"]))
        except ValueError:
            child = None
        if child is None:
            raise Http404
    search_form = NoteSearchForm(request.GET or None)
    query = search_form.cleaned_data["q"] if search_form.is_valid() else ""
    results = selectors.family_search(request.user, family, query) if query else None
    entries = [] if results else selectors.notes_list(request.user, family, child=child)
    return render(request, "recording/family_notes.html", {
        "family": family, "child": None if results else child, "entries": entries,
        "children": services.note_children_choices(family),
        "may_add": may(request.user, "recording.add_note", family),
        "search_form": search_form, "results": results,
    })


def episode_notes(request, episode_id: int):
    episode = episode_get_for_user(request.user, episode_id, page="contacts and case notes", path=request.path)
    entries = selectors.notes_list(request.user, episode.family, episode=episode)
    return render(request, "recording/episode_notes.html", {
        "episode": episode, "family": episode.family, "entries": entries,
        "may_add": episode.is_open and may(request.user, "recording.add_note", episode.family),
    })


@require_http_methods(["GET", "POST"])
def note_create(request, family_id: int):
    family = family_get_for_user(request.user, family_id, page="Record a contact or case note", path=request.path)
    require(request.user, "recording.add_note", family)
    episode = services.family_open_episode(family)
    children = services.note_children_choices(family, episode)
    if request.method == "POST":
        form = CaseNoteForm(request.POST, children=children)
        if form.is_valid():
            try:
                note = services.note_create(family=family, by=request.user, children=form.children_seen(),
                                            complete=request.POST.get("action") == "complete", **form.note_fields())
            except ValidationError as error:
                apply_errors(error, form, aliases=ALIASES)
            else:
                messages.success(request, _saved_message(note))
                return redirect("note-detail", note_id=note.pk)
    else:
        form = CaseNoteForm(children=children)
    return render(request, "recording/note_form.html", {
        "family": family, "episode": episode, "form": form, "note": None,
        "back": reverse("family-notes", kwargs={"family_id": family.pk}),
    })


def note_detail(request, note_id: int):
    note = selectors.note_get_for_user(request.user, note_id, page="Case note", path=request.path)
    return render(request, "recording/note_detail.html", {
        "note": note, "family": note.family,
        "may_change": not note.is_completed and may(request.user, "recording.change_note", note),
        "may_add_addendum": note.is_completed and may(request.user, "recording.add_addendum", note),
        "addendum_form": AddendumForm(),
    })


@require_http_methods(["GET", "POST"])
def note_edit(request, note_id: int):
    note = selectors.note_get_for_user(request.user, note_id, page="Change a draft case note", path=request.path)
    if note.is_completed:  # before who may change it: a completed note is no one's to change
        raise Refused(services.COMPLETED_REFUSAL)
    require(request.user, "recording.change_note", note)
    children = services.note_children_choices(note.family, note.episode)
    status = 200
    if request.method == "POST":
        form = CaseNoteEditForm(request.POST, children=children, initial=CaseNoteForm.initial_for(note))
        if form.is_valid():
            complete = request.POST.get("action") == "complete"
            try:
                saved = versioning.save_unless_stale(
                    form,
                    lock=lambda: services.note_lock_for_edit(note_id=note.pk, by=request.user),
                    current=CaseNoteForm.initial_for,
                    save=lambda locked: services.note_update(note=locked, by=request.user, complete=complete,
                                                             children=form.children_seen(), **form.note_fields()),
                )
            except versioning.StaleEdit as stale:
                versioning.show_stale(form, stale)
                status = versioning.CONFLICT_STATUS
            except ValidationError as error:
                apply_errors(error, form, aliases=ALIASES)
            else:
                messages.success(request, _saved_message(saved))
                return redirect("note-detail", note_id=saved.pk)
    else:
        form = CaseNoteEditForm(children=children, initial=CaseNoteForm.initial_for(note))
    return render(request, "recording/note_form.html", {
        "family": note.family, "episode": note.episode, "form": form, "note": note,
        "back": reverse("note-detail", kwargs={"note_id": note.pk}),
    }, status=status)


@require_http_methods(["GET", "POST"])
def note_addendum(request, note_id: int):
    note = selectors.note_get_for_user(request.user, note_id, page="Add an addendum", path=request.path)
    if not note.is_completed:
        raise Refused("This note is still a draft: change the note itself, or complete it first.")
    if not may(request.user, "recording.add_addendum", note):
        raise PermissionDenied
    form = AddendumForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.addendum_add(note=note, by=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, "Addendum added")
            return redirect(reverse("note-detail", kwargs={"note_id": note.pk}) + "#addenda")
    return render(request, "recording/addendum_form.html", {"note": note, "family": note.family, "form": form})


# Management oversight ---------------------------------------------------------------------------


def episode_oversight(request, episode_id: int):
    episode = episode_get_for_user(request.user, episode_id, page="management oversight", path=request.path)
    notes = selectors.oversight_list(request.user, episode)
    return render(request, "recording/oversight_list.html", {
        "episode": episode, "family": episode.family, "notes": notes,
        "may_add": episode.is_open and may(request.user, "recording.add_oversight", episode),
    })


@require_http_methods(["GET", "POST"])
def oversight_create(request, episode_id: int):
    episode = episode_get_for_user(request.user, episode_id, page="record management oversight", path=request.path)
    if not episode.is_open:  # before who may: a closed episode is no one's to oversee
        raise Refused("This episode is closed: oversight can no longer be recorded on it.")
    require(request.user, "recording.add_oversight", episode)
    form = OversightForm(request.POST or None, default_weeks=settings.EARLYHELP_OVERSIGHT_WEEKS)
    if request.method == "POST" and form.is_valid():
        try:
            services.oversight_record(episode=episode, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, "Oversight recorded")
            return redirect("episode-oversight", episode_id=episode.pk)
    return render(request, "recording/oversight_form.html", {
        "episode": episode, "family": episode.family, "form": form,
    })
