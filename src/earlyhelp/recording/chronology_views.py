"""The chronology pages: on screen (printable), as PDF (made in the background) and as CSV. Thin: reads in
chronology.py.

Every look and every download goes through people.selectors.family_get_for_user, which checks
that the user may see the family and writes the access record (a download as one).
"""

from functools import wraps
from urllib.parse import urlencode

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone

from earlyhelp.audit.models import AccessKind
from earlyhelp.episodes.documents import html_to_pdf
from earlyhelp.exports import csv_response
from earlyhelp.people.models import Family
from earlyhelp.people.selectors import family_get_for_user
from earlyhelp.policy import require
from earlyhelp.web.dates import GovDateField

from .background_files import chronology_pdf_request
from .chronology import PAGE_SIZE, ChronologyKind, Filters, chronology_children, chronology_entries

ORDERS = [("newest", "Newest first"), ("oldest", "Oldest first")]
FILTER_FIELDS = ("child", "kind", "start_day", "start_month", "start_year", "end_day", "end_month", "end_year",
                 "significant", "order")


class ChronologyFilterForm(forms.Form):
    child = forms.TypedChoiceField(label="Child", required=False, coerce=int, empty_value=None,
                                   error_messages={"invalid_choice": "Choose a child of the family from the list"})
    kind = forms.MultipleChoiceField(label="Kind of entry", required=False, choices=ChronologyKind.choices,
                                     widget=forms.CheckboxSelectMultiple,
                                     error_messages={"invalid_choice": "Choose kinds of entry from the list"})
    start = GovDateField(label="From", what="the start date", named_parts=True, required=False,
                         earliest_year=1990, help_text="For example, 1 4 2025")
    end = GovDateField(label="To", what="the end date", named_parts=True, required=False,
                       earliest_year=1990, help_text="For example, 31 3 2026")
    significant = forms.BooleanField(label="Significant events only", required=False)
    order = forms.ChoiceField(label="Order", choices=ORDERS, required=False, widget=forms.RadioSelect,
                              initial="newest",
                              error_messages={"invalid_choice": "Choose newest first or oldest first"})

    def __init__(self, *args, children, **kwargs):
        super().__init__(*args, **kwargs)
        self.children = {child.pk: child for child in children}
        self.fields["child"].choices = [("", "All the family")] + [(child.pk, child.full_name) for child in children]
        self.helper = FormHelper()
        self.helper.form_tag = False
        legend = {"legend_size": Size.for_legend(Size.SMALL)}
        self.helper.layout = Layout(
            Field.select("child"), Field.checkboxes("kind", small=True, legend_size=Size.SMALL),
            Field("start", context=legend), Field("end", context=legend),
            Field.checkbox("significant", small=True), Field.radios("order", small=True, inline=True, legend_size=Size.SMALL),
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "The end date must be the same as or after the start date")
        return cleaned

    def filters(self) -> Filters:
        data = self.cleaned_data if self.is_bound else {}
        return Filters(
            child=self.children.get(data.get("child")), kinds=frozenset(data.get("kind") or ()),
            start=data.get("start"), end=data.get("end"), significant_only=bool(data.get("significant")),
            oldest_first=data.get("order") == "oldest",
        )


def _query(request) -> str:
    """The filters in the address, for the pages, the downloads and the print version."""
    return urlencode([(key, value) for key in FILTER_FIELDS for value in request.GET.getlist(key)])


def _form_and_filters(request, family):
    bound = any(key in request.GET for key in FILTER_FIELDS)
    form = ChronologyFilterForm(request.GET if bound else None, children=chronology_children(family))
    if bound and not form.is_valid():
        return form, None
    return form, form.filters()


def _read_only(view):
    """GET only; anything else is refused as not allowed, but only to someone who may see the family
    (to anyone else it is 403, as every family page answers, and nothing about it is said)."""

    @wraps(view)
    def wrapper(request, family_id: int):
        if request.method not in ("GET", "HEAD"):
            require(request.user, "people.view_family", get_object_or_404(Family, pk=family_id))
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return view(request, family_id)

    return wrapper


def _scope(family, filters: Filters) -> str:
    return filters.child.full_name if filters.child else family.name


@_read_only
def family_chronology(request, family_id: int):
    family = family_get_for_user(request.user, family_id, page="Chronology", path=request.get_full_path())
    form, filters = _form_and_filters(request, family)
    page = None
    if filters is not None:
        page = Paginator(chronology_entries(request.user, family, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "recording/chronology.html", {
        "family": family, "form": form, "filters": filters, "page": page, "query": _query(request),
        "scope": _scope(family, filters) if filters else family.name,
        # The filter stays open while it narrows the list (the child alone has its own heading).
        "filtered": any(request.GET.get(key) for key in FILTER_FIELDS if key != "child"),
    })


def _download_filters(request, family) -> Filters:
    form, filters = _form_and_filters(request, family)
    return filters if filters is not None else Filters()


def _filename(family, filters: Filters, extension: str) -> str:
    who = f"child-{filters.child.pk}" if filters.child else f"family-{family.pk}"
    return f"chronology-{who}-{timezone.localdate():%Y-%m-%d}.{extension}"


def family_chronology_pdf(request, family_id: int):
    """Ask for the chronology as a PDF, made in the background (recording/background_files.py); the filters
    come in the address as on the page. The progress page has the download."""
    if request.method != "POST":
        require(request.user, "people.view_family", get_object_or_404(Family, pk=family_id))
        return HttpResponseNotAllowed(["POST"])
    family = family_get_for_user(request.user, family_id, page="Chronology (PDF) asked for",
                                 path=request.get_full_path())
    background_file = chronology_pdf_request(user=request.user, family=family, query=_query(request))
    return redirect("background-file", file_id=background_file.pk)


def chronology_pdf_content(*, user, family, query: str) -> tuple[bytes, str]:
    """The PDF and its file name, as the user may see the chronology (run by the worker)."""
    request_like = QueryDict(query)
    form = ChronologyFilterForm(request_like if any(key in request_like for key in FILTER_FIELDS) else None,
                                children=chronology_children(family))
    filters = form.filters() if not form.is_bound or form.is_valid() else Filters()
    html = render_to_string("recording/chronology_pdf.html", {
        "family": family, "filters": filters, "scope": _scope(family, filters),
        "entries": chronology_entries(user, family, filters), "printed_by": user,
        "local_authority": settings.EARLYHELP_LOCAL_AUTHORITY, "service_name": settings.EARLYHELP_SERVICE_NAME,
        "printed_at": timezone.localtime(),
    })
    return html_to_pdf(html), _filename(family, filters, "pdf")


CSV_HEADER = ["Date", "Time", "Kind", "Title", "Summary", "Who", "Children", "Significant event", "Link"]


@_read_only
def family_chronology_csv(request, family_id: int):
    family = family_get_for_user(request.user, family_id, page="Chronology (CSV)", path=request.get_full_path(),
                                 kind=AccessKind.EXPORT)
    filters = _download_filters(request, family)
    response, writer = csv_response(_filename(family, filters, "csv"))
    response["Cache-Control"] = "no-store"
    writer.writerow(CSV_HEADER)
    for entry in chronology_entries(request.user, family, filters):
        local = timezone.localtime(entry.at)
        writer.writerow([
            local.date().isoformat(), local.strftime("%H:%M") if entry.time_known else "", entry.kind_label,
            entry.title, entry.summary, entry.who, "; ".join(entry.children), "Yes" if entry.significant else "No",
            request.build_absolute_uri(entry.url) if entry.url else "",
        ])
    return response
