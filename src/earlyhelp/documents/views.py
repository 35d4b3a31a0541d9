"""Pages for documents. Thin: reads in selectors.py, writes in services.py.

A document is only ever served by `document_download`: the access policy, then an access
record, then the file streamed from storage as an attachment. No media URL serves the files.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from earlyhelp.episodes.documents import assessment_pdf, plan_pdf
from earlyhelp.episodes.selectors import episode_get_for_user
from earlyhelp.episodes.services import assessment as assessment_service
from earlyhelp.people.selectors import family_get_for_user, person_get_for_user
from earlyhelp.policy import may, require
from earlyhelp.web.form_errors import apply_errors

from . import scanning, selectors, services
from .forms import DocumentForm


def family_documents(request, family_id: int):
    family = family_get_for_user(request.user, family_id, page="Documents", path=request.path)
    return render(request, "documents/documents.html", {
        "family": family, "owner_name": family.name, "documents": selectors.documents_for_family(family),
        "may_add": may(request.user, "documents.add_document", family),
        "upload_url": reverse("family-document-upload", kwargs={"family_id": family.pk}),
        "back": reverse("family-detail", kwargs={"family_id": family.pk}), "back_text": "Back to the family",
        "show_where": True,
    })


def person_documents(request, person_id: int):
    person = person_get_for_user(request.user, person_id, page="Documents", path=request.path)
    return render(request, "documents/documents.html", {
        "person": person, "owner_name": person.full_name, "documents": selectors.documents_for_person(person),
        "may_add": may(request.user, "documents.add_document", person),
        "upload_url": reverse("person-document-upload", kwargs={"person_id": person.pk}),
        "back": reverse("person-detail", kwargs={"person_id": person.pk}), "back_text": f"Back to {person.full_name}",
    })


def episode_documents(request, episode_id: int):
    episode = episode_get_for_user(request.user, episode_id, page="documents", path=request.path)
    return render(request, "documents/episode_documents.html", {
        "episode": episode, "family": episode.family, "documents": selectors.documents_for_episode(episode),
        "may_add": may(request.user, "documents.add_document", episode),
    })


def _upload(request, *, owner, context: dict, done_url: str):
    require(request.user, "documents.add_document", owner)
    if request.method == "POST":
        form = DocumentForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                document = services.document_add(owner=owner, upload=data["file"], category=data["category"],
                                                  description=data["description"], dated=data["dated"],
                                                  by=request.user)
            except ValidationError as error:
                apply_errors(error, form)
            else:
                messages.success(request, f"Document uploaded: {document.original_name}")
                return redirect(done_url)
    else:
        form = DocumentForm()
    return render(request, "documents/upload.html", {
        **context, "form": form, "back": done_url, "scanning": scanning.scanning_enabled(),
        "max_size": filesizeformat(settings.EARLYHELP_DOCUMENT_MAX_BYTES),
    })


@require_http_methods(["GET", "POST"])
def family_document_upload(request, family_id: int):
    family = family_get_for_user(request.user, family_id, page="Upload a document", path=request.path)
    return _upload(request, owner=family, context={"family": family, "owner_name": family.name,
                                                   "where": "the family's record"},
                   done_url=reverse("family-documents", kwargs={"family_id": family.pk}))


@require_http_methods(["GET", "POST"])
def person_document_upload(request, person_id: int):
    person = person_get_for_user(request.user, person_id, page="Upload a document", path=request.path)
    return _upload(request, owner=person, context={"person": person, "owner_name": person.full_name,
                                                   "where": f"{person.full_name}'s record"},
                   done_url=reverse("person-documents", kwargs={"person_id": person.pk}))


@require_http_methods(["GET", "POST"])
def episode_document_upload(request, episode_id: int):
    episode = episode_get_for_user(request.user, episode_id, page="upload a document", path=request.path)
    return _upload(request, owner=episode, context={"family": episode.family, "episode": episode,
                                                    "owner_name": episode.family.name,
                                                    "where": f"episode {episode.reference}"},
                   done_url=reverse("episode-documents", kwargs={"episode_id": episode.pk}))


def document_download(request, document_id: int):
    # Who may see it first, whatever the method: a refusal says nothing about the document.
    document = selectors.document_get_for_download(request.user, document_id, path=request.path)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    if document.is_erased:
        raise Http404("This document was deleted under the retention policy")
    try:
        handle = services.documents_storage().open(document.storage_name, "rb")
    except FileNotFoundError as error:
        raise Http404("The document's file is missing") from error
    response = FileResponse(handle, as_attachment=True, filename=document.original_name or "document",
                            content_type=document.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"  # a document about a family never sits in a shared cache
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _keep_family_copy(request, episode_id: int, which: str):
    episode = episode_get_for_user(request.user, episode_id, page=f"keep the family's copy of the {which}",
                                   path=request.path)
    require(request.user, "documents.keep_family_copy", episode)
    if which == "assessment":
        assessment = assessment_service.assessment_for_episode(episode)
        if assessment is None:
            raise Http404("The assessment has not started")
        pdf = assessment_pdf(assessment=assessment)
    else:
        if not assessment_service.plan_exists(episode):
            raise Http404("There is no plan yet")
        pdf = plan_pdf(episode=episode)
    document = services.family_copy_keep(episode=episode, which=which, pdf=pdf, by=request.user)
    messages.success(request, f"The {'assessment' if which == 'assessment' else 'family plan'} given to the family "
                              f"is kept in the episode's documents. Download it from there to print or send: "
                              f"{document.original_name}")
    return redirect("episode-documents", episode_id=episode.pk)


@require_POST
def assessment_given(request, episode_id: int):
    return _keep_family_copy(request, episode_id, "assessment")


@require_POST
def plan_given(request, episode_id: int):
    return _keep_family_copy(request, episode_id, "plan")
