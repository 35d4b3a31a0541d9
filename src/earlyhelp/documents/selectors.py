"""Every read of documents. The list pages are audited by the family, person or episode selector
that fetched their owner; a download is audited here, as a download."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from earlyhelp.audit.models import AccessKind
from earlyhelp.audit.services import access_record_create
from earlyhelp.policy import require

from .models import Document


def _listed(queryset) -> QuerySet[Document]:
    return queryset.select_related("episode", "person", "uploaded_by")


def documents_for_family(family) -> QuerySet[Document]:
    """The family's documents, its episodes' included."""
    return _listed(Document.objects.filter(family=family))


def documents_for_person(person) -> QuerySet[Document]:
    return _listed(Document.objects.filter(person=person))


def documents_for_episode(episode) -> QuerySet[Document]:
    return _listed(Document.objects.filter(episode=episode))


def document_get_for_download(user, document_id: int, *, path: str = "") -> Document:
    """The document if the user may see it (else 403), its download written to the audit trail."""
    document = get_object_or_404(Document.objects.select_related("family", "person", "episode"), pk=document_id)
    require(user, "documents.view_document", document)
    access_record_create(user=user, kind=AccessKind.DOWNLOAD, family=document.family, person=document.person,
                         what=f"Document: {document.get_category_display()} dated {document.dated:%-d %B %Y}",
                         path=path)
    return document
