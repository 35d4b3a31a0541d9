"""Every write of a document: checked, scanned, stored and recorded in one step, or not at all.

`document_add` checks the size and the type from the content, has the scanning hook look at it,
writes the file to the documents storage under a random name and then the row; if the row
cannot be written the stored file is deleted again, so nothing is half-stored.
"""

import hashlib
import logging
import secrets
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone

from earlyhelp.episodes.models import Episode
from earlyhelp.people.models import Family, Person

from . import content, scanning
from .models import Document, DocumentCategory

logger = logging.getLogger(__name__)
STORAGE_ALIAS = "documents"
SELECT_A_FILE = "Select a file"


def documents_storage():
    return storages[STORAGE_ALIAS]


def _owner_fields(owner) -> dict:
    if isinstance(owner, Episode):
        return {"family": owner.family, "episode": owner, "person": None}
    if isinstance(owner, Family):
        return {"family": owner, "episode": None, "person": None}
    if isinstance(owner, Person):
        return {"family": None, "episode": None, "person": owner}
    raise TypeError(f"A document belongs to a family, a person or an episode, not {owner!r}")


def _sha256(handle) -> str:
    digest = hashlib.sha256()
    handle.seek(0)
    while chunk := handle.read(64 * 1024):
        digest.update(chunk)
    handle.seek(0)
    return digest.hexdigest()


def check_file(upload) -> str:
    """The file's content type if it may be stored, else ValidationError on `file`."""
    if upload is None:
        raise ValidationError({"file": SELECT_A_FILE})
    limit = settings.EARLYHELP_DOCUMENT_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError({"file": content.too_large_message(limit)})
    if upload.size == 0:
        raise ValidationError({"file": content.EMPTY})
    try:
        content_type = content.content_type_of(upload)
        scanning.scan(upload)
    except (content.NotAccepted, scanning.ScanRefused) as refusal:
        raise ValidationError({"file": str(refusal)}) from refusal
    return content_type


def document_add(*, owner, upload, category: str, description: str, dated: date, by) -> Document:
    """Store `upload` (an uploaded file, or any Django File) as a document on `owner`."""
    errors = {}
    description = (description or "").strip()
    if category not in DocumentCategory.values:
        errors["category"] = "Select what kind of document it is"
    if not description:
        errors["description"] = "Enter a description of the document"
    if dated is None:
        errors["dated"] = "Enter the document's date"
    elif dated > timezone.localdate():
        errors["dated"] = "The document's date must be today or in the past"
    try:
        content_type = check_file(upload)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)

    fields = _owner_fields(owner)
    storage = documents_storage()
    extension = content.ACCEPTED[content_type][1]
    wanted = f"{timezone.now():%Y/%m}/{secrets.token_hex(16)}{extension}"
    sha256 = _sha256(upload)
    size = upload.size
    upload.seek(0)
    stored = storage.save(wanted, upload)
    try:
        with transaction.atomic():
            return Document.objects.create(
                **fields, category=category, description=description, dated=dated,
                original_name=(getattr(upload, "name", "") or "").rsplit("/", 1)[-1][:255],
                storage_name=stored, content_type=content_type, size=size, sha256=sha256, uploaded_by=by,
            )
    except BaseException:
        storage.delete(stored)
        raise


FAMILY_COPY = {
    "assessment": ("early-help-assessment", "Early Help Assessment"),
    "plan": ("family-plan", "Family plan"),
}


def family_copy_keep(*, episode: Episode, which: str, pdf: bytes, by) -> Document:
    """Keep the exact PDF given to the family as a document on the episode."""
    stem, title = FAMILY_COPY[which]
    today = timezone.localdate()
    return document_add(
        owner=episode, upload=ContentFile(pdf, name=f"{stem}-{episode.reference}-{today:%Y-%m-%d}.pdf"),
        category=DocumentCategory.GIVEN_TO_FAMILY, dated=today, by=by,
        description=f"{title} for episode {episode.reference}, as given to the family",
    )


def documents_erase(queryset) -> int:
    """Mark these documents erased and delete their files from storage once the transaction
    commits (retention); the rows stay, with their dates and kinds, for the statistics."""
    storage = documents_storage()
    names = list(queryset.filter(erased_at__isnull=True).values_list("storage_name", flat=True))
    erased = Document.objects.filter(storage_name__in=names).update(erased_at=timezone.now())

    def delete_files():
        for name in names:
            try:
                storage.delete(name)
            except OSError:  # logged; the row already says erased, and the file is unreachable
                logger.exception("Could not delete the stored document %s", name)

    transaction.on_commit(delete_files)
    return erased
