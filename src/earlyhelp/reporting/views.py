"""Managers' insight pages. Thin: reads in selectors.py and dashboard.py, writes in services.py."""

from datetime import date
from functools import partial
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.models import Role
from earlyhelp.audit.services import record_listed
from earlyhelp.config.routers import reads_from_replica
from earlyhelp.exports import csv_response
from earlyhelp.policy import require
from earlyhelp.web import versioning

from . import dashboard, selectors, services, summaries
from .forms import AnnexAForm, DashboardFilterForm, OutcomeNeedForm, TeamWorkForm, filters_query
from .models import HeadlineOutcome

LIST_PAGE_SIZE = 50


def _today() -> date:
    return timezone.localdate()


def _filters_or_none(request, today: date):
    """The dashboard's filters from the address; None when they need correcting."""
    form = DashboardFilterForm(request.GET or None, today=today)
    if form.is_bound and not form.is_valid():
        return form, None
    return form, form.filters()


@reads_from_replica
def dashboard_page(request):
    selectors.require_insight_role(request.user)
    today = _today()
    form, filters = _filters_or_none(request, today)
    context = {"form": form, "filters": filters, "named": selectors.shows_names(request.user),
               "is_manager": request.user.role == Role.TEAM_MANAGER}
    if filters is not None:
        query = filters_query(filters)
        summary = summaries.summary_get(filters, today)
        if summary is not None:
            figures = summary.figures
        else:
            figures = dashboard.build_dashboard(filters, today, dashboard.list_linker(query))
        context.update({
            "query": query,
            "worked_out_at": summary.worked_out_at if summary is not None else timezone.now(),
            "kept_ready": summary is not None,
            "refresh_minutes": settings.EARLYHELP_DASHBOARD_SUMMARY_MINUTES,
            "headlines": dashboard.headlines(figures),
            "now_figures": [figure for figure in figures if figure.when == dashboard.NOW],
            "period_figures": [figure for figure in figures if figure.when == dashboard.PERIOD],
            "csv_base": reverse("dashboard-csv"),
            "today": today,
        })
    return render(request, "reporting/dashboard.html", context)


@reads_from_replica
def dashboard_csv(request):
    selectors.require_insight_role(request.user)
    today = _today()
    form, filters = _filters_or_none(request, today)
    if filters is None:
        return redirect(f"{reverse('dashboard')}?{request.GET.urlencode()}")
    try:
        figure = dashboard.build_figure(request.GET.get("figure", ""), filters, today, lambda figure, key: "")
    except selectors.UnknownFigure:
        raise Http404("No such figure") from None
    response, _ = csv_response(f"{figure.slug.replace('_', '-')}-{filters.date_from:%Y%m%d}-{filters.date_to:%Y%m%d}.csv")
    dashboard.write_figure_csv(figure, response)
    return response


@reads_from_replica
def dashboard_list(request):
    selectors.require_insight_role(request.user)
    today = _today()
    form, filters = _filters_or_none(request, today)
    if filters is None:
        return redirect(f"{reverse('dashboard')}?{request.GET.urlencode()}")
    figure, key = request.GET.get("figure", ""), request.GET.get("key", "")
    try:
        found = selectors.figure_list_for_user(request.user, figure, key, filters, today)
        heading = dashboard.list_heading(figure, key)
    except selectors.UnknownFigure:
        raise Http404("No such figure") from None
    page = Paginator(found.rows, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    query = filters_query(filters)
    return render(request, "reporting/dashboard_list.html", {
        "figure": figure, "heading": heading, "found": found, "page": page, "rows": page.object_list,
        "filters": filters, "named": found.named, "today": today,
        "dashboard_url": f"{reverse('dashboard')}?{query}",
        "page_query": f"{urlencode({'figure': figure, 'key': key})}&{query}",
    })


# --- Team work ------------------------------------------------------------------------------

TEAM_WORK_COLUMNS = (
    ("family", "Family"),
    ("worker", "Worker"),
    ("stage", "Stage"),
    ("kind", "Next due"),
    ("due", "Due on"),
)


def team_work(request):
    require(request.user, "reporting.view_team_work")
    today = _today()
    workers = selectors.team_work_workers(request.user)
    form = TeamWorkForm(request.GET or None, workers=workers)
    chosen = form.cleaned_data if form.is_bound and form.is_valid() else {}
    sort = request.GET.get("sort", "due")
    sort = sort if sort in selectors.TEAM_WORK_SORTS else "due"
    descending = request.GET.get("order") == "desc"
    episodes = selectors.team_work_list(
        request.user, worker=chosen.get("worker", ""), kind=chosen.get("kind", ""),
        overdue_only=chosen.get("overdue", False), sort=sort, descending=descending, today=today,
    )
    page = Paginator(episodes, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    record_listed(request, "Team work", [episode.family_id for episode in page.object_list])
    rows = [{"episode": episode, "days_late": (today - episode.next_due_on).days
             if episode.next_due_on and episode.next_due_on < today else 0} for episode in page.object_list]
    filter_params = {name: value for name, value in (
        ("worker", chosen.get("worker", "")), ("kind", chosen.get("kind", "")),
        ("overdue", "on" if chosen.get("overdue") else ""),
    ) if value}
    headers = []
    for column, label in TEAM_WORK_COLUMNS:
        current = column == sort
        next_order = "asc" if current and descending else ("desc" if current else "asc")
        headers.append({
            "label": label, "current": current,
            "aria_sort": ("descending" if descending else "ascending") if current else "none",
            "href": "?" + urlencode({**filter_params, "sort": column, "order": next_order}),
        })
    return render(request, "reporting/team_work.html", {
        "form": form, "page": page, "rows": rows, "headers": headers, "today": today,
        "page_query": urlencode({**filter_params, "sort": sort, "order": "desc" if descending else "asc"}),
        "filtered": bool(filter_params),
    })


# --- Reports: Annex A -----------------------------------------------------------------------


def reports(request):
    selectors.require_insight_role(request.user)
    today = _today()
    if request.method == "POST":
        form = AnnexAForm(request.POST, today=today)
        if form.is_valid():
            try:
                background_file = services.annex_a_request(user=request.user, as_of=form.cleaned_data["as_of"],
                                                           file_format=request.POST.get("format", services.XLSX))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("background-file", file_id=background_file.pk)
    else:
        form = AnnexAForm(today=today)
    return render(request, "reporting/reports.html", {"form": form})


# --- Supporting Families --------------------------------------------------------------------


@reads_from_replica
def supporting_families(request):
    selectors.require_insight_role(request.user)
    today = _today()
    show_all = request.GET.get("show") == "all"
    kept = None if show_all else summaries.meeting_families_kept(today)
    families = selectors.supporting_families_list(request.user, today=today, meeting_only=not show_all,
                                                  meeting_ids=kept.family_ids if kept else None)
    page = Paginator(families, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    named = selectors.shows_names(request.user)
    if named:
        record_listed(request, "Supporting Families list", [family.family_id for family in page.object_list])
    return render(request, "reporting/supporting_families.html", {
        "page": page, "families": page.object_list, "show_all": show_all, "named": named, "kept": kept,
        "refresh_minutes": settings.EARLYHELP_DASHBOARD_SUMMARY_MINUTES,
        "criteria": selectors.CRITERIA,
        "to_record": selectors.families_to_record(request.user) if named else [],
    })


@reads_from_replica
def supporting_families_csv(request):
    selectors.require_insight_role(request.user)
    today = _today()
    show_all = request.GET.get("show") == "all"
    families = selectors.supporting_families_list(request.user, today=today, meeting_only=not show_all)
    named = selectors.shows_names(request.user)
    services.export_record(user=request.user, what="Supporting Families list", path=request.path)
    response, writer = csv_response(f"supporting-families-{today:%Y%m%d}.csv")
    writer.writerow(["Family reference", *(["Family"] if named else []), "Latest episode", "Closed on",
                     "Headline outcomes with needs", *[label for _, label in selectors.CRITERIA],
                     "Meets the criteria"])
    for family in families:
        writer.writerow([
            family.family_id, *([family.name] if named else []), family.episode_reference or "",
            family.closed_on.strftime("%d/%m/%Y") if family.closed_on else "",
            "; ".join(HeadlineOutcome(need.headline_outcome).label for need in family.needs),
            *["Yes" if family.results[key] else "No" for key, _ in selectors.CRITERIA],
            "Yes" if family.meets_all else "No",
        ])
    return response


def family_outcomes(request, family_id: int):
    family = selectors.family_get_for_outcomes(request.user, family_id, path=request.path)
    needs = selectors.family_outcome_needs(family)
    summary = selectors.family_summary(family, _today())
    return render(request, "reporting/family_outcomes.html", {
        "family": family, "summary": summary, "criteria": selectors.CRITERIA,
        "outcomes": [(code, label, needs.get(code)) for code, label in HeadlineOutcome.choices],
        "may_record": selectors.user_may_record_outcomes(request.user, family),
    })


OutcomeNeedEditForm = versioning.versioned(OutcomeNeedForm)


def family_outcome_need(request, family_id: int, outcome: str):
    if outcome not in HeadlineOutcome.values:
        raise Http404("No such headline outcome")
    family = selectors.family_get_for_outcomes(request.user, family_id, path=request.path)
    if not selectors.user_may_record_outcomes(request.user, family):
        raise PermissionDenied
    existing = selectors.family_outcome_needs(family).get(outcome)
    today = _today()
    status = 200
    lock = partial(services.family_outcome_need_lock, family=family, headline_outcome=outcome)
    if request.method == "POST" and request.POST.get("action") == "remove":
        # The remove button carries the edit form's token: a need changed since is not removed unseen.
        try:
            versioning.refuse_if_changed(
                OutcomeNeedEditForm(request.POST, today=today), lock=lock, current=OutcomeNeedForm.initial_from,
                save=lambda saved: services.family_outcome_need_remove(
                    family=family, headline_outcome=outcome, by=request.user),
            )
        except versioning.StaleEdit as stale:
            existing = selectors.family_outcome_needs(family).get(outcome)
            form = OutcomeNeedEditForm(initial=OutcomeNeedForm.initial_from(existing), today=today)
            versioning.show_stale_removal(form, stale)
            status = versioning.CONFLICT_STATUS
        else:
            messages.success(request, f"Need removed: {HeadlineOutcome(outcome).label}")
            return redirect("supporting-families-family", family_id=family.pk)
    elif request.method == "POST":
        form = OutcomeNeedEditForm(request.POST, today=today)
        if form.is_valid():
            try:
                versioning.save_unless_stale(
                    form, lock=lock, current=OutcomeNeedForm.initial_from,
                    save=lambda saved: services.family_outcome_need_save(
                        family=family, headline_outcome=outcome, by=request.user, **form.need_values()),
                )
            except versioning.StaleEdit as stale:
                versioning.show_stale(form, stale)
                status = versioning.CONFLICT_STATUS
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, f"Need recorded: {HeadlineOutcome(outcome).label}")
                return redirect("supporting-families-family", family_id=family.pk)
    else:
        form = OutcomeNeedEditForm(initial=OutcomeNeedForm.initial_from(existing), today=today)
    return render(request, "reporting/outcome_need_form.html", {
        "family": family, "form": form, "outcome_label": HeadlineOutcome(outcome).label, "existing": existing,
        "summary": selectors.family_summary(family, today),
    }, status=status)
