"""What the API says about each record, and what it accepts. Reads only: every write is a service's."""

from django.utils import timezone
from rest_framework import serializers

from earlyhelp.episodes.models import ActionStatus, Episode, EpisodeState, Outcome, PlanAction
from earlyhelp.frontdoor.models import FamilyAgreement, RequestForSupport, Urgency
from earlyhelp.people.models import Family, FamilyMember, Person
from earlyhelp.recording.models import CaseNote, ContactKind, SignificantEventCategory

# The largest record number a filter or a body accepts (the urls' RecordId: 18 digits).
MAX_ID = 10**18 - 1


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    conflicts = serializers.DictField(child=serializers.CharField(), required=False,
                                      help_text="What is saved now, by field (a clash with someone's change)")
    version = serializers.CharField(required=False, help_text="The version to send when saving again")


def paginated(item: type[serializers.Serializer]) -> type[serializers.Serializer]:
    """A page of a list, as views.Pagination answers it."""
    name = item.__name__.removesuffix("Serializer")
    return type(f"Paginated{name}List", (serializers.Serializer,), {
        "count": serializers.IntegerField(help_text="How many in the whole list"),
        "next": serializers.CharField(allow_null=True, help_text="The next page's address"),
        "previous": serializers.CharField(allow_null=True, help_text="The page before's address"),
        "results": item(many=True),
    })


# Families and people --------------------------------------------------------------------------


class FamilySerializer(serializers.ModelSerializer):
    locality = serializers.SlugRelatedField(slug_field="name", read_only=True, allow_null=True)

    class Meta:
        model = Family
        fields = ["id", "name", "postcode", "locality"]


class MemberSerializer(serializers.ModelSerializer):
    person = serializers.IntegerField(source="person_id")
    name = serializers.CharField(source="person.full_name")
    date_of_birth = serializers.DateField(source="person.date_of_birth", allow_null=True)

    class Meta:
        model = FamilyMember
        fields = ["person", "name", "role", "date_of_birth", "joined_on", "left_on"]


class EpisodeSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Episode
        fields = ["id", "reference", "state", "opened_on", "closed_on"]


class FamilyDetailSerializer(FamilySerializer):
    members = serializers.SerializerMethodField()
    episodes = serializers.SerializerMethodField()

    class Meta(FamilySerializer.Meta):
        fields = FamilySerializer.Meta.fields + ["address", "members", "episodes"]

    def get_members(self, family) -> list[dict]:
        rows = family.memberships.select_related("person").order_by("left_on", "person__date_of_birth", "pk")
        return MemberSerializer(rows, many=True).data

    def get_episodes(self, family) -> list[dict]:
        return EpisodeSummarySerializer(family.episodes.order_by("-opened_on", "-pk"), many=True).data


class PersonSerializer(serializers.ModelSerializer):
    families = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = ["id", "first_name", "middle_names", "last_name", "known_as", "date_of_birth",
                  "expected_date_of_birth", "sex", "gender", "ethnicity", "nhs_number", "upn", "postcode",
                  "families"]

    def get_families(self, person) -> list[int]:
        return sorted({m.family_id for m in person.memberships.all() if m.left_on is None})


class PersonDetailSerializer(PersonSerializer):
    class Meta(PersonSerializer.Meta):
        fields = PersonSerializer.Meta.fields + ["address", "first_language", "interpreter_needed", "disability",
                                                 "sen_status", "phone", "email"]


# Requests for support -------------------------------------------------------------------------


class RequestSerializer(serializers.ModelSerializer):
    requested_by = serializers.SerializerMethodField()
    children = serializers.SerializerMethodField()

    class Meta:
        model = RequestForSupport
        fields = ["id", "reference", "source", "status", "family", "requested_by", "urgency", "submitted_at",
                  "triage_due_on", "family_agreement", "concerns", "assessment_factors", "concern_details",
                  "children"]

    def get_requested_by(self, support_request) -> str:
        return _name(support_request.requested_by) or support_request.requester_name

    def get_children(self, support_request) -> list[dict]:
        return [{"first_name": p.first_name, "last_name": p.last_name,
                 "date_of_birth": p.date_of_birth.isoformat() if p.date_of_birth else None}
                for p in support_request.people.all() if p.is_child]


class RequestPersonInput(serializers.Serializer):
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    relationship = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    is_child = serializers.BooleanField(default=True)


class RequestCreateSerializer(serializers.Serializer):
    family = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID,
                                      help_text="A family you work with, if the request is about one")
    people = RequestPersonInput(many=True, help_text="The children and adults the request is about")
    concern_details = serializers.CharField(max_length=20000)
    family_agreement = serializers.ChoiceField(choices=FamilyAgreement.choices)
    no_agreement_reason = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    concerns = serializers.ListField(child=serializers.CharField(max_length=20), required=False, default=list,
                                     max_length=50)
    assessment_factors = serializers.ListField(child=serializers.CharField(max_length=10), required=False,
                                               default=list, max_length=50)
    already_tried = serializers.CharField(max_length=20000, required=False, allow_blank=True, default="")
    child_views = serializers.CharField(max_length=20000, required=False, allow_blank=True, default="")
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.ROUTINE)

    def validate_people(self, value):
        if not value:
            raise serializers.ValidationError("Enter the name of at least one child")
        if len(value) > 30:
            raise serializers.ValidationError("Name 30 people or fewer")
        return value


# Episodes and plans ---------------------------------------------------------------------------


class EpisodeSerializer(serializers.ModelSerializer):
    team = serializers.SlugRelatedField(slug_field="name", read_only=True, allow_null=True)
    lead_professional = serializers.SerializerMethodField()
    allocated_worker = serializers.SerializerMethodField()

    class Meta:
        model = Episode
        fields = ["id", "reference", "family", "state", "team", "lead_professional", "allocated_worker",
                  "opened_on", "closed_on", "next_due_on", "next_due_kind", "review_due_on"]

    def get_lead_professional(self, episode) -> str:
        return _name(episode.lead_professional)

    def get_allocated_worker(self, episode) -> str:
        return _name(episode.allocated_worker)


class ActionSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner_label", help_text="Who does it: a practitioner, an agency or "
                                                                  "someone in the family")
    status = serializers.ChoiceField(choices=ActionStatus.choices)

    class Meta:
        model = PlanAction
        fields = ["id", "description", "owner", "due_on", "status"]


class OutcomeSerializer(serializers.ModelSerializer):
    actions = ActionSerializer(many=True, read_only=True)

    class Meta:
        model = Outcome
        fields = ["id", "in_familys_words", "needs", "achieved", "actions"]


class PlanSerializer(serializers.Serializer):
    episode = serializers.IntegerField()
    outcomes = OutcomeSerializer(many=True)


# Case notes -----------------------------------------------------------------------------------


class NoteChildSerializer(serializers.Serializer):
    person = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    seen = serializers.BooleanField(default=False)
    seen_alone = serializers.BooleanField(default=False)


class AddendumSerializer(serializers.Serializer):
    text = serializers.CharField()
    author = serializers.SerializerMethodField()
    added_at = serializers.DateTimeField()

    def get_author(self, addendum) -> str:
        return _name(addendum.author)


class NoteSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()
    completed = serializers.BooleanField(source="is_completed")
    children = serializers.SerializerMethodField()
    addenda = AddendumSerializer(many=True, read_only=True)

    class Meta:
        model = CaseNote
        fields = ["id", "family", "episode", "kind", "happened_at", "time_known", "present", "what_happened",
                  "childs_words", "analysis", "next_steps", "significant", "significant_category", "restricted",
                  "restricted_reason", "author", "completed", "completed_at", "children", "addenda"]

    def get_author(self, note) -> str:
        return _name(note.author)

    def get_children(self, note) -> list[dict]:
        return [{"person": row.child_id, "seen": row.seen, "seen_alone": row.seen_alone}
                for row in note.children.all()]


class NoteDetailSerializer(NoteSerializer):
    version = serializers.SerializerMethodField(help_text="Send it back with a change (PATCH) of a draft")

    class Meta(NoteSerializer.Meta):
        fields = NoteSerializer.Meta.fields + ["version"]

    def get_version(self, note) -> str:
        from .versions import note_version

        return note_version(note)


class NoteFieldsSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ContactKind.choices)
    happened_at = serializers.DateTimeField()
    time_known = serializers.BooleanField(default=True)
    present = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    what_happened = serializers.CharField(max_length=50000, required=False, allow_blank=True, default="")
    childs_words = serializers.CharField(max_length=50000, required=False, allow_blank=True, default="")
    analysis = serializers.CharField(max_length=50000, required=False, allow_blank=True, default="")
    next_steps = serializers.CharField(max_length=50000, required=False, allow_blank=True, default="")
    significant = serializers.BooleanField(default=False)
    significant_category = serializers.ChoiceField(choices=SignificantEventCategory.choices, required=False,
                                                   allow_blank=True, default="")
    restricted = serializers.BooleanField(default=False)
    restricted_reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    children = NoteChildSerializer(many=True, required=False, default=list)
    complete = serializers.BooleanField(default=False, help_text="Complete the note now (it can then no longer "
                                                                 "change: add an addendum instead)")


    def validate_happened_at(self, value):
        # As the pages' date field: a contact within the last 10 years (recording/forms.py).
        if value.year < timezone.localdate().year - 10:
            raise serializers.ValidationError("When the contact happened must be within the last 10 years")
        return value


class NoteCreateSerializer(NoteFieldsSerializer):
    family = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class NoteUpdateSerializer(NoteFieldsSerializer):
    version = serializers.CharField(max_length=4000, help_text="The version the note was read at")


# Query parameters ------------------------------------------------------------------------------


class PageFilters(serializers.Serializer):
    """Which page of a list (views.Pagination reads them)."""

    page = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=100,
                                         help_text="Records on a page (25 unless asked)")


class FamilyFilters(PageFilters):
    name = serializers.CharField(required=False, max_length=150, help_text="Part of the family's name")
    postcode = serializers.CharField(required=False, max_length=8, help_text="The start of the postcode")


class PersonFilters(PageFilters):
    family = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    name = serializers.CharField(required=False, max_length=100, help_text="Part of the first or last name")
    date_of_birth = serializers.DateField(required=False)


class RequestFilters(PageFilters):
    family = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    status = serializers.CharField(required=False, max_length=30)


class EpisodeFilters(PageFilters):
    family = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    state = serializers.ChoiceField(required=False, choices=EpisodeState.choices)


class NoteFilters(PageFilters):
    family = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID, help_text="Required unless episode is given")
    episode = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    child = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    happened_from = serializers.DateField(required=False, help_text="On or after this date")
    happened_to = serializers.DateField(required=False, help_text="On or before this date")

    def validate(self, attrs):
        if not attrs.get("family") and not attrs.get("episode"):
            raise serializers.ValidationError({"family": ["Give the family, or the episode, whose notes to list"]})
        if attrs.get("happened_from") and attrs.get("happened_to") and attrs["happened_from"] > attrs["happened_to"]:
            raise serializers.ValidationError({"happened_to": ["The end date must be on or after the start date"]})
        return attrs
