"""Documents on a family, a person or an episode (issue 12, point 5; docs/documents.md).

The file itself is in the `documents` storage (settings.STORAGES) under a random name; this row
holds what it is and where it is. A document belongs to one family (and then perhaps to one of
its episodes) or to one person, whichever families the person is in.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from earlyhelp.people.models import Family, Person

User = settings.AUTH_USER_MODEL


class DocumentCategory(models.TextChoices):
    REPORT = "report", "Report or assessment from an agency"
    LETTER = "letter", "Letter or e-mail"
    CONSENT = "consent", "Signed consent or agreement"
    MEETING = "meeting", "Meeting notes or minutes"
    PHOTO = "photo", "Photograph"
    CHILDS_WORK = "childs_work", "The child's own work"
    COURT_OR_LEGAL = "legal", "Court or legal document"
    GIVEN_TO_FAMILY = "given_to_family", "Given to the family"
    OTHER = "other", "Other"


class Document(models.Model):
    family = models.ForeignKey(Family, on_delete=models.PROTECT, null=True, blank=True, related_name="documents")
    episode = models.ForeignKey("episodes.Episode", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="documents")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="documents")
    category = models.CharField(max_length=20, choices=DocumentCategory.choices)
    description = models.TextField(blank=True)  # never empty when added; blank once anonymised
    dated = models.DateField(help_text="The document's own date")
    # The name it was uploaded with: shown and offered on download, never used to store it.
    original_name = models.CharField(max_length=255, blank=True)
    # Where the file is in the documents storage: a random name the service chose.
    storage_name = models.CharField(max_length=200, unique=True)
    # From the file's content, never from its name or what the browser said.
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # Set when retention deleted the file from storage (audit/retention.py).
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-dated", "-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["family", "-dated"], name="document_family_dated")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(family__isnull=False, person__isnull=True)
                           | Q(family__isnull=True, person__isnull=False, episode__isnull=True)),
                name="document_on_a_family_or_a_person"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} dated {self.dated:%Y-%m-%d}"

    @classmethod
    def erase_files_for_retention(cls, queryset) -> int:
        """audit/retention.py: delete these documents' files from storage (their words are blanked there)."""
        from .services import documents_erase

        return documents_erase(queryset)

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    @property
    def kind_label(self) -> str:
        from .content import ACCEPTED

        return ACCEPTED.get(self.content_type, ("File", ""))[0]
