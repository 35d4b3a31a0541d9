"""Pages for families and people. Thin: reads go through selectors.py, writes through services.py."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from earlyhelp.episodes.selectors import episodes_for_family, step_downs_for_family
from earlyhelp.policy import require
from earlyhelp.web import versioning
from earlyhelp.web.form_errors import apply_errors

from . import selectors, services
from .forms import (
    AlreadyKnownForm,
    ExistingPersonForm,
    FamilyForm,
    FamilyMoveForm,
    InvolvementForm,
    MergeForm,
    MergeSearchForm,
    PersonForm,
    RelationshipForm,
)
from .models import MemberRole
from .search import SearchCriteria

# Fields of a typed person form that go round the "is this a different person?" step unchanged.
NOT_REPOSTED = {"csrfmiddlewaretoken", "confirm_different", "change", "submit"}


def _require_family_role(user) -> None:
    require(user, "people.search_known")


def _criteria_from_person(data: dict, postcode: str = "") -> SearchCriteria:
    name = " ".join(filter(None, [data.get("first_name"), data.get("last_name")]))
    return SearchCriteria(
        name=name, date_of_birth=data.get("date_of_birth"), nhs_number=data.get("nhs_number") or "",
        upn=data.get("upn") or "", postcode=data.get("postcode") or postcode,
    )


# Families -----------------------------------------------------------------------------------


def family_create(request):
    _require_family_role(request.user)
    form = FamilyForm(request.POST or None, localities=selectors.localities_list())
    if request.method == "POST" and form.is_valid():
        family = services.family_create(
            name=form.cleaned_data["name"], address=form.cleaned_data["address"],
            postcode=form.cleaned_data["postcode"], locality=form.cleaned_data["locality"],
            created_by=request.user,
        )
        messages.success(request, f"{family.name} added. Now add the people in the household.")
        return redirect("person-create", family_id=family.pk)
    return render(request, "people/family_form.html", {"form": form})


def family_detail(request, family_id: int):
    family = selectors.family_get_for_user(request.user, family_id, page="Family page", path=request.path)
    page = selectors.family_page(family, today=timezone.localdate())
    episodes = episodes_for_family(family)
    return render(request, "people/family_detail.html", {
        "family": family, "page": page, "episodes": episodes,
        "has_open_episode": any(episode.is_open for episode in episodes),
        "step_downs": step_downs_for_family(family),
    })


def family_move(request, family_id: int):
    family = selectors.family_get_for_user(request.user, family_id, page="Change of address", path=request.path,
                                           change=True)
    form = FamilyMoveForm(request.POST or None, saved=_family_address(family))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            versioning.save_unless_stale(
                form, lock=lambda: services.family_move_lock(family=family),
                current=lambda saved: _family_address(saved[0]),
                save=lambda saved: services.family_move(family=saved[0], **form.cleaned_data),
            )
        except versioning.StaleEdit as stale:
            versioning.show_stale(form, stale)
            status = versioning.CONFLICT_STATUS
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, "New address saved. The previous address is kept in the address history.")
            return redirect(reverse("family-detail", kwargs={"family_id": family.pk}) + "#addresses")
    return render(request, "people/family_move.html", {"family": family, "form": form}, status=status)


def _family_address(family) -> dict:
    """The address a move replaces, as saved (the move form compares it: web/versioning.py)."""
    return {"address": family.address, "postcode": family.postcode}


def relationship_create(request, family_id: int):
    family = selectors.family_get_for_user(request.user, family_id, page="Add a relationship", path=request.path,
                                           change=True)
    people = selectors.family_people_list(family)
    form = RelationshipForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        by_id = {person.pk: person for person in people}
        try:
            services.relationship_create(
                person=by_id[form.cleaned_data["person"]], relative=by_id[form.cleaned_data["relative"]],
                kind=form.cleaned_data["kind"],
                has_parental_responsibility=form.cleaned_data["has_parental_responsibility"],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, "Relationship saved.")
            return redirect(reverse("family-detail", kwargs={"family_id": family.pk}) + "#relationships")
    return render(request, "people/relationship_form.html", {"family": family, "form": form, "people": people})


# People -------------------------------------------------------------------------------------


def person_create(request, family_id: int):
    """Add a person to a family. Likely duplicates are shown first; the user confirms a new record."""
    family = selectors.family_get_for_user(request.user, family_id, page="Add a person", path=request.path,
                                           change=True)
    schools = selectors.schools_list()
    today = timezone.localdate()
    if request.method == "POST" and request.POST.get("existing_person"):
        return _add_existing_person(request, family)
    if request.method != "POST":
        form = PersonForm(schools=schools, initial={"address": family.address, "postcode": family.postcode})
        return render(request, "people/person_form.html", {"family": family, "form": form, "creating": True})

    form = PersonForm(request.POST, schools=schools)
    if request.POST.get("change") == "yes" or not form.is_valid():
        return render(request, "people/person_form.html", {"family": family, "form": form, "creating": True})
    if request.POST.get("confirm_different") != "yes":
        duplicates = selectors.likely_duplicates(
            request.user, _criteria_from_person(form.cleaned_data), today=today, path=request.path
        )
        if duplicates:
            reposted = [(name, values) for name, values in request.POST.lists() if name not in NOT_REPOSTED]
            return render(request, "people/person_duplicates.html", {
                "family": family, "duplicates": duplicates, "reposted": reposted,
                "typed_name": f"{form.cleaned_data['first_name']} {form.cleaned_data['last_name']}",
                "role": form.cleaned_data["role"],
            })
    try:
        person = services.person_create(
            family=family, role=form.cleaned_data["role"], fields=form.person_fields(), joined_on=None,
        )
    except ValidationError as error:
        apply_errors(error, form)
        return render(request, "people/person_form.html", {"family": family, "form": form, "creating": True})
    messages.success(request, f"{person.full_name} added to {family.name}.")
    return redirect(reverse("family-detail", kwargs={"family_id": family.pk}) + "#members")


def _add_existing_person(request, family):
    form = ExistingPersonForm(request.POST)
    if not form.is_valid() or form.cleaned_data["role"] not in MemberRole.values:
        raise PermissionDenied
    person = selectors.person_get_for_user(request.user, form.cleaned_data["existing_person"],
                                           page="Added to another family", path=request.path)
    try:
        services.family_member_add(family=family, person=person, role=form.cleaned_data["role"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{person.full_name} added to {family.name}.")
    return redirect(reverse("family-detail", kwargs={"family_id": family.pk}) + "#members")


def person_detail(request, person_id: int):
    kept_id = selectors.person_merged_into(person_id)
    if kept_id:
        messages.info(request, "That record was merged with this one because they are the same person.")
        return redirect("person-detail", person_id=kept_id)
    person = selectors.person_get_for_user(request.user, person_id, page="Person page", path=request.path)
    page = selectors.person_page(request.user, person, today=timezone.localdate())
    context = {"person": person, "page": page}
    visible = [membership for membership in page.memberships if membership.can_view and membership.left_on is None]
    if visible:
        # The family's warnings (e.g. a concern of significant harm) show on its people's pages too.
        context["family"] = visible[0].family
        # And the alerts about risks to workers of every family they live in.
        context["alert_family_ids"] = [membership.family_id for membership in visible]
    return render(request, "people/person_detail.html", context)


PersonEditForm = versioning.versioned(PersonForm)


def _person_initial(person) -> dict:
    initial = {name: getattr(person, name) for name in services.PERSON_FIELDS}
    initial["interpreter_needed"] = "yes" if person.interpreter_needed else "no"
    initial["nhs_number"] = person.nhs_number or ""
    initial["upn"] = person.upn or ""
    return initial


def person_update(request, person_id: int):
    person = selectors.person_get_for_user(request.user, person_id, page="Change a person's details",
                                           path=request.path)
    schools = selectors.schools_list()
    form = PersonEditForm(request.POST or None, schools=schools, with_role=False, initial=_person_initial(person),
                          submit="Save changes")
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            versioning.save_unless_stale(
                form, lock=lambda: services.person_lock(person=person), current=_person_initial,
                save=lambda saved: services.person_update(person=saved, fields=form.person_fields()),
            )
        except versioning.StaleEdit as stale:
            versioning.show_stale(form, stale)
            status = versioning.CONFLICT_STATUS
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, "Details saved.")
            return redirect("person-detail", person_id=person.pk)
    return render(request, "people/person_form.html", {"person": person, "form": form, "creating": False},
                  status=status)


def involvement_create(request, person_id: int):
    person = selectors.person_get_for_user(request.user, person_id, page="Add an involvement", path=request.path)
    form = InvolvementForm(
        request.POST or None, agencies=selectors.agencies_list(), practitioners=selectors.practitioners_list()
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.involvement_create(person=person, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, f"Involvement saved for {person.full_name}.")
            return redirect(reverse("person-detail", kwargs={"person_id": person.pk}) + "#involvements")
    return render(request, "people/involvement_form.html", {"person": person, "form": form})


@require_POST
def involvement_end(request, involvement_id: int):
    involvement = selectors.involvement_get_for_user(request.user, involvement_id)
    try:
        services.involvement_end(involvement=involvement)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{involvement.contact_name}'s involvement has ended.")
        if not selectors.person_can_be_seen(request.user, involvement.person):
            # Ending their own involvement takes the user out of the family's network.
            messages.info(request, "You are no longer working with this family, so its record is no longer shown to you.")
            return redirect("home")
    return redirect(reverse("person-detail", kwargs={"person_id": involvement.person_id}) + "#involvements")


# "Already known?" ---------------------------------------------------------------------------


def already_known(request):
    """Before starting anything: is this child already known, and who already leads? (DOMAIN §2)."""
    _require_family_role(request.user)
    results = None
    form = AlreadyKnownForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        criteria = SearchCriteria(
            name=data["name"], date_of_birth=data["date_of_birth"], nhs_number=data["nhs_number"],
            upn=data["upn"], postcode=data["postcode"],
        )
        results = selectors.already_known_search(
            request.user, criteria, today=timezone.localdate(), path=request.path
        )
    return render(request, "people/already_known.html", {"form": form, "results": results})


# Merging duplicate records (administrators) ------------------------------------------------------

MERGES_PAGE_SIZE = 20


def person_merge(request):
    require(request.user, "people.merge_people")
    search = MergeSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""  # too long or with a NUL: said beside the box
    found = selectors.people_for_merge_search(request.user, query) if query else None
    form = MergeForm(request.POST or None)
    merges = Paginator(selectors.merges_list(request.user), MERGES_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"search": search, "found": found, "form": form, "merges": merges}
    if request.method != "POST" or not form.is_valid():
        return render(request, "people/merge.html", context, status=400 if search.errors else 200)

    kept = selectors.person_for_merge(request.user, form.cleaned_data["kept"], path=request.path)
    duplicate = selectors.person_for_merge(request.user, form.cleaned_data["duplicate"], path=request.path)
    if kept is None:
        form.add_error("kept", "There is no record with that number")
    if duplicate is None:
        form.add_error("duplicate", "There is no record with that number")
    if form.errors:
        return render(request, "people/merge.html", context)
    if request.POST.get("confirm") != "yes":
        return render(request, "people/merge_review.html", {
            "form": form, "kept": kept, "duplicate": duplicate,
            "kept_counts": selectors.merge_counts(kept), "duplicate_counts": selectors.merge_counts(duplicate),
        })
    try:
        merge = services.person_merge(
            kept=kept, duplicate=duplicate, merged_by=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        apply_errors(error, form)
        return render(request, "people/merge_review.html", {
            "form": form, "kept": kept, "duplicate": duplicate,
            "kept_counts": selectors.merge_counts(kept), "duplicate_counts": selectors.merge_counts(duplicate),
        })
    moved = sum(value for key, value in merge.moved.items() if key != "details_filled")
    messages.success(
        request, f"Record {duplicate.pk} merged into record {kept.pk}. {moved} linked records moved; the merge is recorded."
    )
    return redirect("person-merge")
