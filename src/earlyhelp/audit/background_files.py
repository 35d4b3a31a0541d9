"""The subject access pack, made in the background (earlyhelp/background): registered from apps.py.

The management command `subject_access` still writes the same pack to a folder.
"""

import io
import zipfile

from earlyhelp.background.kinds import Kind, Made, register_kind
from earlyhelp.background.services import background_file_request

SUBJECT_ACCESS_KIND = "subject_access"


def subject_access_request(*, user, person):
    """Ask for everything held about one person, as a zip of the HTML and JSON pack; administrators only."""
    return background_file_request(user=user, kind=SUBJECT_ACCESS_KIND, params={"person_id": person.pk},
                                   title=f"Subject access pack for record {person.pk}")


def _make_subject_access(user, params: dict, progress) -> Made:
    from earlyhelp.people.models import Person
    from earlyhelp.policy import require

    from .subject_access import subject_access_documents

    require(user, "audit.subject_access")  # asked again when the work starts
    person = Person.objects.get(pk=params["person_id"])
    documents = subject_access_documents(person=person, progress=progress)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in documents.items():
            archive.writestr(name, content)
    stem = next(iter(documents)).rsplit(".", 1)[0]
    return Made(content=buffer.getvalue(), filename=f"{stem}.zip", content_type="application/zip")


def _record_subject_access_download(request, background_file) -> None:
    from earlyhelp.people.models import Person

    from .models import AccessKind
    from .services import access_record_create
    from .subject_access import SUBJECT_ACCESS_WHAT

    access_record_create(user=request.user, kind=AccessKind.EXPORT, what=SUBJECT_ACCESS_WHAT,
                         person=Person.objects.get(pk=background_file.params["person_id"]), path=request.path,
                         reason="Subject access request")


def register() -> None:
    register_kind(Kind(name=SUBJECT_ACCESS_KIND, permission="audit.subject_access",
                       policy_object=lambda params: None, make=_make_subject_access,
                       record_download=_record_subject_access_download))
