"""The REST API under /api/v1/. Thin: reads through each app's selectors (which ask the policy and
write the access record), writes through its services. Lists record one access per family shown.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, Q
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView, exception_handler

from earlyhelp.audit.services import access_records_for_listing
from earlyhelp.episodes.models import Episode
from earlyhelp.episodes.selectors import episode_get_for_user
from earlyhelp.episodes.services.plan import plan_outcomes
from earlyhelp.frontdoor import selectors as frontdoor_selectors
from earlyhelp.frontdoor import services as frontdoor_services
from earlyhelp.frontdoor.models import (
    OPEN_REQUEST_STATUSES,
    RequestForSupport,
    RequestPerson,
    RequestSource,
)
from earlyhelp.people.access import families_visible_to, family_answers_kept
from earlyhelp.people.models import FamilyMember, Person
from earlyhelp.people.selectors import family_get_for_user, person_get_for_user
from earlyhelp.policy import may
from earlyhelp.recording import selectors as note_selectors
from earlyhelp.recording import services as note_services
from earlyhelp.web import versioning
from earlyhelp.web.refusals import Refused

from . import serializers as s
from .versions import note_current, note_form

# Every answer an operation may give besides its own, as the description says.
ERRORS = {
    400: OpenApiResponse(description="Bad input: a message for each field that is wrong"),
    401: OpenApiResponse(s.ErrorSerializer, description="No token, or a token that is not valid"),
    403: OpenApiResponse(s.ErrorSerializer, description="Not yours to see or do"),
    404: OpenApiResponse(s.ErrorSerializer, description="No such record (or page of a list)"),
    429: OpenApiResponse(s.ErrorSerializer, description="Too many requests: try again later"),
}


def _errors(codes, answers: dict) -> dict:
    return {**{code: ERRORS[code] for code in codes}, **answers}


def handle_exception(exc, context):
    """Django's ValidationError (from a service) is a 400 with its field messages; Refused a 409."""
    if isinstance(exc, Refused):
        return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    return exception_handler(exc, context)


class Pagination(PageNumberPagination):
    page_size = settings.EARLYHELP_API_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = 100


@csrf_exempt  # the API takes no cookies: a PATCH to a wrong address is a 404 too, not the CSRF page
@login_not_required
def not_found(request, path=""):
    """Any other address under /api/v1/: a 404 in JSON, as the description says, not the pages' HTML."""
    return JsonResponse({"detail": "Not found."}, status=404)


def _filters(serializer_class, request) -> dict:
    # An empty parameter is refused, as the description says, rather than read as "no filter".
    empty = [name for name, values in request.query_params.lists() if any(value == "" for value in values)]
    if empty:
        raise exceptions.ValidationError({name: ["Give a value, or leave the parameter out"] for name in empty})
    filters = serializer_class(data=request.query_params)
    filters.is_valid(raise_exception=True)
    return filters.validated_data


class ApiView(APIView):
    """Refuses a query parameter its operation does not take (a mistyped filter would else be ignored,
    and the whole list answered)."""

    filters: dict[str, type] = {}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        taken = self.filters.get(request.method.lower())
        allowed = set(taken().fields) if taken else set()
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            raise exceptions.ValidationError({name: ["This operation takes no such parameter"] for name in unknown})


class ListView(ApiView):
    """A paginated list; every family it shows is recorded as listed, by the token's user."""

    what = ""

    def page(self, request, items, serializer_class, family_ids):
        paginator = Pagination()
        rows = paginator.paginate_queryset(items, request, view=self)
        access_records_for_listing(user=request.user, family_ids=[family_ids(row) for row in rows],
                                   what=f"API: {self.what}", path=request.path)
        return paginator.get_paginated_response(serializer_class(rows, many=True).data)


# Families and people --------------------------------------------------------------------------


class FamilyList(ListView):
    filters = {"get": s.FamilyFilters}
    what = "families"

    @extend_schema(operation_id="families_list", parameters=[s.FamilyFilters], responses=_errors((400, 401, 404, 429), {200: s.paginated(s.FamilySerializer)}), summary="The families you may see")
    def get(self, request):
        filters = _filters(s.FamilyFilters, request)
        families = families_visible_to(request.user).select_related("locality").order_by("name", "pk")
        if filters.get("name"):
            families = families.filter(name__icontains=filters["name"].strip())
        if filters.get("postcode"):
            families = families.filter(postcode__istartswith=filters["postcode"].strip().upper())
        return self.page(request, families, s.FamilySerializer, lambda family: family.pk)


class FamilyDetail(ApiView):
    @extend_schema(responses=_errors((401, 403, 404, 429), {200: s.FamilyDetailSerializer}), summary="A family")
    def get(self, request, family_id: int):
        family = family_get_for_user(request.user, family_id, page="API: family", path=request.path)
        return Response(s.FamilyDetailSerializer(family).data)


class PersonList(ListView):
    filters = {"get": s.PersonFilters}
    what = "people"

    @extend_schema(operation_id="people_list", parameters=[s.PersonFilters], responses=_errors((400, 401, 404, 429), {200: s.paginated(s.PersonSerializer)}), summary="The current members of the families you may see")
    def get(self, request):
        filters = _filters(s.PersonFilters, request)
        current = FamilyMember.objects.filter(left_on__isnull=True, family__in=families_visible_to(request.user))
        if filters.get("family"):
            current = current.filter(family_id=filters["family"])
        people = (Person.objects.filter(pk__in=current.values("person_id"), merged_into__isnull=True)
                  .prefetch_related(Prefetch("memberships", queryset=FamilyMember.objects.filter(left_on__isnull=True)))
                  .order_by("last_name", "first_name", "pk"))
        if filters.get("name"):
            name = filters["name"].strip()
            people = people.filter(Q(first_name__icontains=name) | Q(last_name__icontains=name)
                                   | Q(known_as__icontains=name))
        if filters.get("date_of_birth"):
            people = people.filter(date_of_birth=filters["date_of_birth"])
        return self.page(request, people, s.PersonSerializer,
                         lambda person: next((m.family_id for m in person.memberships.all()), None))


class PersonDetail(ApiView):
    @extend_schema(responses=_errors((401, 403, 404, 429), {200: s.PersonDetailSerializer}), summary="A person")
    def get(self, request, person_id: int):
        person = person_get_for_user(request.user, person_id, page="API: person", path=request.path)
        return Response(s.PersonDetailSerializer(person).data)


# Requests for support -------------------------------------------------------------------------


def _requests():
    return RequestForSupport.objects.select_related("requested_by").prefetch_related(
        Prefetch("people", queryset=RequestPerson.objects.order_by("-is_child", "pk")))


class RequestList(ListView):
    filters = {"get": s.RequestFilters}
    what = "requests for support"

    @extend_schema(operation_id="requests_list", parameters=[s.RequestFilters], responses=_errors((400, 401, 404, 429), {200: s.paginated(s.RequestSerializer)}), summary="Requests for support you may see")
    def get(self, request):
        filters = _filters(s.RequestFilters, request)
        user = request.user
        # The ways a request opens to a user (frontdoor/rules.py); each row is still asked below.
        candidates = Q(requested_by=user) | Q(family__in=families_visible_to(user))
        if may(user, "frontdoor.work_front_door"):
            candidates |= Q(status__in=OPEN_REQUEST_STATUSES) | Q(triaged_by=user)
        requests = _requests().filter(candidates).order_by("-submitted_at", "-pk")
        if filters.get("family"):
            requests = requests.filter(family_id=filters["family"])
        if filters.get("status"):
            requests = requests.filter(status=filters["status"])
        paginator = Pagination()
        with family_answers_kept():
            rows = [row for row in paginator.paginate_queryset(requests, request, view=self)
                    if may(user, "frontdoor.view_request", row)]
        access_records_for_listing(user=user, family_ids=[row.family_id for row in rows],
                                   what=f"API: {self.what}", path=request.path)
        return paginator.get_paginated_response(s.RequestSerializer(rows, many=True).data)

    @extend_schema(request=s.RequestCreateSerializer, responses=_errors((400, 401, 403, 404, 429), {
        201: s.RequestSerializer}), summary="Ask for early help for a family (a practitioner's request)")
    def post(self, request):
        data = _input(s.RequestCreateSerializer, request)
        family = None
        if data.get("family"):
            family = family_get_for_user(request.user, data["family"], page="API: ask for early help",
                                         path=request.path)
        people = [frontdoor_services.PersonEntry(**person) for person in data.pop("people")]
        data.pop("family", None)
        created = frontdoor_services.request_create(source=RequestSource.PRACTITIONER, requested_by=request.user,
                                                    people=people, family=family, **data)
        access = frontdoor_selectors.request_get_for_user(request.user, created.pk, page="API: sent",
                                                          path=request.path)
        return Response(s.RequestSerializer(access.request).data, status=status.HTTP_201_CREATED)


class RequestDetail(ApiView):
    @extend_schema(responses=_errors((401, 403, 404, 429), {200: s.RequestSerializer}), summary="A request for support")
    def get(self, request, request_id: int):
        access = frontdoor_selectors.request_get_for_user(request.user, request_id, page="API", path=request.path)
        return Response(s.RequestSerializer(access.request).data)


def _input(serializer_class, request, **kwargs) -> dict:
    if not isinstance(request.data, dict):
        raise exceptions.ValidationError({"non_field_errors": ["Send a JSON object"]})
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# Episodes and plans ---------------------------------------------------------------------------


class EpisodeList(ListView):
    filters = {"get": s.EpisodeFilters}
    what = "episodes"

    @extend_schema(operation_id="episodes_list", parameters=[s.EpisodeFilters], responses=_errors((400, 401, 404, 429), {200: s.paginated(s.EpisodeSerializer)}), summary="Episodes of the families you may see")
    def get(self, request):
        filters = _filters(s.EpisodeFilters, request)
        episodes = (Episode.objects.filter(family__in=families_visible_to(request.user))
                    .select_related("team", "lead_professional", "allocated_worker").order_by("-opened_on", "-pk"))
        if filters.get("family"):
            episodes = episodes.filter(family_id=filters["family"])
        if filters.get("state"):
            episodes = episodes.filter(state=filters["state"])
        return self.page(request, episodes, s.EpisodeSerializer, lambda episode: episode.family_id)


class EpisodeDetail(ApiView):
    @extend_schema(responses=_errors((401, 403, 404, 429), {200: s.EpisodeSerializer}), summary="An episode")
    def get(self, request, episode_id: int):
        episode = episode_get_for_user(request.user, episode_id, page="API", path=request.path)
        return Response(s.EpisodeSerializer(episode).data)


class EpisodePlan(ApiView):
    @extend_schema(responses=_errors((401, 403, 404, 429), {200: s.PlanSerializer}),
                   summary="An episode's plan: its outcomes and their actions")
    def get(self, request, episode_id: int):
        episode = episode_get_for_user(request.user, episode_id, page="API: plan", path=request.path)
        outcomes = plan_outcomes(episode)
        return Response(s.PlanSerializer({"episode": episode.pk, "outcomes": outcomes}).data)


# Case notes -----------------------------------------------------------------------------------


def _children(family, episode, rows) -> list:
    choices = {person.pk: person for person in note_services.note_children_choices(family, episode)}
    missing = [row["person"] for row in rows if row["person"] not in choices]
    if missing:
        raise exceptions.ValidationError({"children": [f"Person {pk} is not a child in this family"
                                                       for pk in missing]})
    return [note_services.ChildSeen(child=choices[row["person"]], seen=row["seen"] or row["seen_alone"],
                                    seen_alone=row["seen_alone"]) for row in rows]


class NoteList(ApiView):
    filters = {"get": s.NoteFilters}
    @extend_schema(operation_id="notes_list", parameters=[s.NoteFilters], responses=_errors((400, 401, 403, 404, 429), {200: s.paginated(s.NoteSerializer)}), summary="Contacts and case notes of a family or an episode")
    def get(self, request):
        filters = _filters(s.NoteFilters, request)
        episode = None
        if filters.get("episode"):
            episode = episode_get_for_user(request.user, filters["episode"], page="API: contacts and case notes",
                                           path=request.path)
            if filters.get("family") and filters["family"] != episode.family_id:
                raise exceptions.ValidationError({"episode": ["This episode is not the family's"]})
            family = episode.family
        else:
            family = family_get_for_user(request.user, filters["family"], page="API: contacts and case notes",
                                         path=request.path)
        child = None
        if filters.get("child"):
            child = note_selectors.family_child_get(family, filters["child"])
            if child is None:
                raise exceptions.ValidationError({"child": ["No child of this family has this number"]})
        notes = [entry.note for entry in note_selectors.notes_list(request.user, family, child=child, episode=episode)
                 if not entry.restricted_notice]
        if filters.get("happened_from"):
            notes = [note for note in notes if note.happened_at.date() >= filters["happened_from"]]
        if filters.get("happened_to"):
            notes = [note for note in notes if note.happened_at.date() <= filters["happened_to"]]
        paginator = Pagination()
        rows = paginator.paginate_queryset(notes, request, view=self)
        return paginator.get_paginated_response(s.NoteSerializer(rows, many=True).data)

    @extend_schema(request=s.NoteCreateSerializer, responses=_errors((400, 401, 403, 404, 429), {
        201: s.NoteDetailSerializer}), summary="Record a contact or case note (a draft, or completed)")
    def post(self, request):
        data = _input(s.NoteCreateSerializer, request)
        family = family_get_for_user(request.user, data.pop("family"), page="API: record a case note",
                                     path=request.path)
        children = _children(family, note_services.family_open_episode(family), data.pop("children"))
        complete = data.pop("complete")
        note = note_services.note_create(family=family, by=request.user, children=children, complete=complete,
                                         **data)
        note = note_selectors.note_get_for_user(request.user, note.pk, page="API: recorded", path=request.path)
        return Response(s.NoteDetailSerializer(note).data, status=status.HTTP_201_CREATED)


class NoteDetail(ApiView):
    @extend_schema(responses=_errors((401, 403, 404, 429), {200: s.NoteDetailSerializer}), summary="A case note")
    def get(self, request, note_id: int):
        note = note_selectors.note_get_for_user(request.user, note_id, page="API", path=request.path)
        return Response(s.NoteDetailSerializer(note).data)

    @extend_schema(request=s.NoteUpdateSerializer, responses=_errors((400, 401, 403, 404, 429), {
        200: s.NoteDetailSerializer,
        409: OpenApiResponse(s.ConflictSerializer, description="Changed by someone else since it was read, or "
                                                               "already completed: nothing saved")}),
        summary="Change a draft note of your own, carrying the version it was read at")
    def patch(self, request, note_id: int):
        note = note_selectors.note_get_for_user(request.user, note_id, page="API: change a draft", path=request.path)
        if note.is_completed:
            raise Refused(note_services.COMPLETED_REFUSAL)
        if not may(request.user, "recording.change_note", note):
            raise exceptions.PermissionDenied("Only the note's author can change a draft")
        data = _input(s.NoteUpdateSerializer, request, partial=True)
        if "version" not in data:
            raise exceptions.ValidationError({"version": ["Send the version the note was read at"]})
        version, complete = data.pop("version"), data.pop("complete", False)
        changes = {name: value for name, value in data.items()}
        form = note_form(note, changes, version)
        if not form.is_valid():
            raise exceptions.ValidationError({name: [error["message"] for error in errors]
                                              for name, errors in form.errors.get_json_data().items()})

        def save(locked):
            fields = {name: form.cleaned_data[name] for name in note_services.NOTE_FIELDS}
            rows = [{"person": pk, "seen": seen, "seen_alone": alone} for pk, seen, alone in form.cleaned_data["children"] or []]
            return note_services.note_update(note=locked, by=request.user, complete=complete,
                                             children=_children(locked.family, locked.episode, rows), **fields)

        try:
            saved = versioning.save_unless_stale(
                form, lock=lambda: note_services.note_lock_for_edit(note_id=note.pk, by=request.user),
                current=note_current, save=save)
        except versioning.StaleEdit as stale:
            return Response({"detail": f"{stale.who} changed this note since you read it: nothing has been saved",
                             "conflicts": {name: str(value) for name, value in stale.conflicts.items()},
                             "version": stale.token}, status=status.HTTP_409_CONFLICT)
        saved = note_selectors.note_get_for_user(request.user, saved.pk, page="API: changed", path=request.path)
        return Response(s.NoteDetailSerializer(saved).data)

