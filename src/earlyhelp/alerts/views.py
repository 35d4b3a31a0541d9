"""Pages for alerts about risks to workers. Thin: reads in selectors.py, writes in services.py."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from earlyhelp.people.selectors import family_get_for_user
from earlyhelp.policy import may
from earlyhelp.web.form_errors import apply_errors
from earlyhelp.web.refusals import Refused

from . import selectors, services
from .forms import AlertEndForm, AlertForm


def family_alerts(request, family_id: int):
    family = family_get_for_user(request.user, family_id, page="Alerts about risks to workers", path=request.path)
    history = selectors.family_alerts_history(family=family)
    return render(request, "alerts/family_alerts.html", {
        "family": family,
        "current": [alert for alert in history if alert.is_open],
        "ended": [alert for alert in history if not alert.is_open],
        "may_add": may(request.user, "alerts.add_alert", family),
        "may_end": may(request.user, "alerts.end_alert", family),
    })


@require_http_methods(["GET", "POST"])
def alert_create(request, family_id: int):
    family = family_get_for_user(request.user, family_id, page="Record an alert about a risk to workers",
                                 path=request.path, change=True)
    people = services.alert_people_choices(family)
    form = AlertForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            services.alert_create(family=family, by=request.user, kind=form.cleaned_data["kind"],
                                  details=form.cleaned_data["details"], person=form.chosen_person())
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, "Alert recorded. It shows on every page of the family until someone ends it.")
            return redirect("family-alerts", family_id=family.pk)
    return render(request, "alerts/alert_form.html", {"family": family, "form": form})


@require_http_methods(["GET", "POST"])
def alert_end(request, alert_id: int):
    alert = selectors.alert_get_for_user(request.user, alert_id, page="End an alert about a risk to workers",
                                         path=request.path, change=True)
    family = alert.family
    if not alert.is_open:
        if request.method == "POST":  # ended from another tab meanwhile: 409
            raise Refused(services.ALREADY_ENDED)
        messages.info(request, "That alert has already been ended.")
        return redirect("family-alerts", family_id=family.pk)
    form = AlertEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.alert_end(alert=alert, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_errors(error, form)
        else:
            messages.success(request, "Alert ended. It no longer shows, and stays in the family's history.")
            return redirect("family-alerts", family_id=family.pk)
    return render(request, "alerts/alert_end.html", {"family": family, "alert": alert, "form": form})
