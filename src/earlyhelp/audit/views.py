from django.conf import settings
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from earlyhelp.exports import csv_response
from earlyhelp.people.models import Person
from earlyhelp.policy import may, require

from . import selectors, services
from .background_files import subject_access_request
from .forms import AuditSearchForm
from .models import AccessKind


def _require_auditor(user) -> None:
    # Information governance sits with administrators; no one else reads the audit trail.
    require(user, "audit.view_access_history")


def audit_search(request):
    _require_auditor(request.user)
    form = AuditSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    people = selectors.people_for_audit_search(query=query)
    return render(request, "audit/search.html", {"query": query, "people": people, "form": form},
                  status=400 if form.errors else 200)


def person_access_history(request, person_id: int):
    _require_auditor(request.user)
    person = get_object_or_404(Person, pk=person_id)
    records = selectors.access_records_for_person(person_id=person.pk)
    services.access_record_create(user=request.user, person=person, what="Who has looked at this record",
                                  path=request.path)
    return render(request, "audit/person_access.html", {
        "person": person, "records": records[:500],
        "may_ask_subject_access": may(request.user, "audit.subject_access"),
    })


@require_POST
def subject_access_ask(request, person_id: int):
    """Ask for a person's subject access pack, made in the background; the progress page has the download."""
    require(request.user, "audit.subject_access")
    person = get_object_or_404(Person, pk=person_id)
    background_file = subject_access_request(user=request.user, person=person)
    return redirect("background-file", file_id=background_file.pk)


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
    from earlyhelp.people.models import Family

    require(request.user, "audit.break_glass")
    family = get_object_or_404(Family.objects.only("pk"), pk=family_id)
    if may(request.user, "people.view_family", family):
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
