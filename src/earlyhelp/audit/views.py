from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from earlyhelp.accounts.models import Role
from earlyhelp.exports import csv_response
from earlyhelp.people.models import Person

from . import selectors, services
from .models import AccessKind


def _require_auditor(user) -> None:
    # Information governance sits with administrators; no one else reads the audit trail.
    if user.role != Role.ADMINISTRATOR:
        raise PermissionDenied


def audit_search(request):
    _require_auditor(request.user)
    query = request.GET.get("q", "")
    people = selectors.people_for_audit_search(query=query)
    return render(request, "audit/search.html", {"query": query, "people": people})


def person_access_history(request, person_id: int):
    _require_auditor(request.user)
    person = get_object_or_404(Person, pk=person_id)
    records = selectors.access_records_for_person(person_id=person.pk)
    return render(request, "audit/person_access.html", {"person": person, "records": records[:500]})


def person_access_history_csv(request, person_id: int):
    _require_auditor(request.user)
    person = get_object_or_404(Person, pk=person_id)
    services.access_record_create(
        user=request.user, kind=AccessKind.EXPORT, person=person,
        what="Export of who has looked at this record", path=request.path,
    )
    response, writer = csv_response(f"access-{person.pk}-{timezone.localdate():%Y%m%d}.csv")
    writer.writerow(["When", "Who", "Role", "Organisation", "How", "What", "Break-glass reason"])
    for record in selectors.access_records_for_person(person_id=person.pk).iterator():
        writer.writerow([
            timezone.localtime(record.at).strftime("%d/%m/%Y %H:%M:%S"), record.user.get_full_name(),
            record.user.get_role_display(), record.user.agency.name if record.user.agency else "",
            record.get_kind_display(), record.what, record.reason,
        ])
    return response


def break_glass(request, family_id: int):
    """Open a family outside the user's network, saying why; time-limited and audited."""
    from earlyhelp.people.access import user_can_see_family
    from earlyhelp.people.models import Family

    if not request.user.can_see_families:
        raise PermissionDenied
    family = get_object_or_404(Family.objects.only("pk"), pk=family_id)
    if user_can_see_family(request.user, family.pk):
        return redirect("family-detail", family_id=family.pk)
    error = ""
    reason = request.POST.get("reason", "")
    if request.method == "POST":
        try:
            services.break_glass_open(user=request.user, family=family, reason=reason, path=request.path)
        except ValueError as problem:
            error = str(problem)
        else:
            return redirect("family-detail", family_id=family.pk)
    # The family's details are not shown here: only its reference number.
    return render(request, "audit/break_glass.html", {
        "family_reference": family.pk, "reason": reason, "error": error,
        "minutes": settings.EARLYHELP_BREAK_GLASS_MINUTES,
    })
