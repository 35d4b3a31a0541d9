"""Allocating open episodes to a worker, one or several at once (team managers). Thin: reads in
selectors_allocation.py, the write in services/allocation.py."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from earlyhelp.audit.services import record_listed
from earlyhelp.web.form_errors import apply_errors

from ..forms_allocation import AllocationForm, opened_with
from ..selectors_allocation import episodes_to_allocate, workers_with_caseloads
from ..services.allocation import episodes_allocate


def _chosen_ids(values) -> list[int]:
    return [int(value) for value in values if value.isdigit() and len(value) < 16]  # an id, not a huge number


@require_http_methods(["GET", "POST"])
def episodes_allocate_page(request):
    posted = request.method == "POST"
    chosen = _chosen_ids(request.POST.getlist("episodes") if posted else request.GET.getlist("episode"))
    episodes, were_chosen = episodes_to_allocate(request.user, chosen=chosen)
    workers = workers_with_caseloads(request.user)
    form = AllocationForm(request.POST if posted else None, episodes=episodes, workers=workers,
                          initial={"episodes": [episode.pk for episode in episodes] if were_chosen else [],
                                   "opened": opened_with(episodes)})
    if posted and form.is_valid():
        picked = [episode for episode in episodes if episode.pk in form.cleaned_data["episodes"]]
        worker = form.chosen_worker()
        try:
            changed = episodes_allocate(episodes=picked, worker=worker, by=request.user,
                                        expected_workers=form.expected_workers())
        except ValidationError as error:
            apply_errors(error, form)
        else:
            unchanged = len(picked) - len(changed)
            text = f"{len(changed)} famil{'y' if len(changed) == 1 else 'ies'} allocated to {worker.get_full_name()}."
            if unchanged:
                text += f" {unchanged} {'was' if unchanged == 1 else 'were'} already theirs."
            messages.success(request, text)
            return redirect("team-work")
    record_listed(request, "Allocate families", [episode.family_id for episode in episodes])
    selected = set(form["episodes"].value() or []) if form.is_bound else set(form.initial["episodes"])
    return render(request, "episodes/allocation/allocate.html", {
        "form": form, "episodes": episodes, "were_chosen": were_chosen, "workers": workers,
        "selected": {int(value) for value in selected if str(value).isdigit()},
    })
