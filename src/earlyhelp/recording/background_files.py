"""The chronology as a PDF, made in the background (earlyhelp/background): registered from apps.py."""

from earlyhelp.background.kinds import Kind, Made, register_kind
from earlyhelp.background.services import background_file_request

CHRONOLOGY_PDF_KIND = "chronology_pdf"


def chronology_pdf_request(*, user, family, query: str):
    """Ask for the family's chronology (filtered as `query` says) as a PDF; refused unless they may see it."""
    return background_file_request(user=user, kind=CHRONOLOGY_PDF_KIND,
                                   params={"family_id": family.pk, "query": query},
                                   # The family's reference only: the progress page shows no one's details.
                                   title=f"Chronology of family {family.pk} (PDF)")


def _family(params: dict):
    from earlyhelp.people.models import Family

    return Family.objects.filter(pk=params["family_id"]).first()


def _make_chronology_pdf(user, params: dict, progress) -> Made:
    from earlyhelp.policy import require

    from .chronology_views import chronology_pdf_content

    family = _family(params)
    require(user, "people.view_family", family)  # asked again when the work starts
    progress(10, "Reading the chronology and making the PDF")
    content, filename = chronology_pdf_content(user=user, family=family, query=params["query"])
    return Made(content=content, filename=filename, content_type="application/pdf")


def _record_chronology_download(request, background_file) -> None:
    from earlyhelp.audit.models import AccessKind
    from earlyhelp.people.selectors import family_get_for_user

    family_get_for_user(request.user, background_file.params["family_id"], page="Chronology (PDF)",
                        path=request.path, kind=AccessKind.DOWNLOAD)


def register() -> None:
    register_kind(Kind(name=CHRONOLOGY_PDF_KIND, permission="people.view_family", policy_object=_family,
                       make=_make_chronology_pdf, record_download=_record_chronology_download))
