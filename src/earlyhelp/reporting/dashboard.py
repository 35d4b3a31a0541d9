"""The manager dashboard's figures: the numbers from selectors.py laid out as a table, a chart and a CSV.

Each figure is one table; the chart beside it draws the same numbers, and every count links to
the list of episodes (or requests) behind it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.urls import reverse

from earlyhelp.episodes.models import ClosureReason, DueKind, EpisodeState, NeedOutcome
from earlyhelp.exports import csv_writer
from earlyhelp.frontdoor.models import RequestStatus
from earlyhelp.standards import AssessmentFactor

from . import selectors
from .selectors import Filters

NOW, PERIOD = "now", "period"


@dataclass(frozen=True)
class Cell:
    value: int | str | None
    href: str = ""


@dataclass(frozen=True)
class Row:
    label: str
    cells: list[Cell]
    is_total: bool = False


@dataclass
class Figure:
    slug: str
    title: str
    when: str
    description: str
    columns: list[str]
    rows: list[Row]
    chart: dict | None = None
    chart_label: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def table_rows(self) -> list[tuple[Row, list[tuple[Cell, str]]]]:
        """Each row with its cells named by their column, for link text that makes sense read aloud."""
        return [(row, list(zip(row.cells, self.columns[1:]))) for row in self.rows]

    @property
    def chart_id(self) -> str:
        return f"chart-data-{self.slug.replace('_', '-')}"

    @property
    def canvas_id(self) -> str:
        return f"chart-{self.slug.replace('_', '-')}"


@dataclass(frozen=True)
class Headline:
    label: str
    value: str
    href: str


Link = Callable[[str, str], str]


def list_linker(query: str) -> Link:
    """Links from each number to the list behind it, under the same filters (`query`)."""
    base = reverse("dashboard-list")

    def link(figure: str, key: str) -> str:
        return f"{base}?{urlencode({'figure': figure, 'key': key})}&{query}"

    return link


# Workers shown by name in the caseload figure, and teams in the figure of plans without a review.
CASELOADS_SHOWN = 20
TEAMS_SHOWN = 20


def _month_label(month: date) -> str:
    return month.strftime("%b %Y")


def _bar(labels: list[str], series: list[tuple[str, list]], *, horizontal: bool = False) -> dict:
    return {"type": "bar", "horizontal": horizontal, "labels": labels,
            "datasets": [{"label": name, "data": data} for name, data in series]}


def _described(title: str, labels: list[str], values: list) -> str:
    """The chart's accessible name: what it shows, in words (the table beside it has the numbers)."""
    parts = ", ".join(f"{label} {value if value is not None else 'none'}" for label, value in zip(labels, values))
    return f"{title}: {parts}" if parts else f"{title}: nothing to show"


def _by_category(slug: str, title: str, when: str, description: str, column: str, counts: dict[str, int],
                 labels: dict[str, str], link: Link, *, unit: str, total_label: str, horizontal=True,
                 keep_zeros=True) -> Figure:
    keys = [key for key in counts if keep_zeros or counts[key]]
    rows = [Row(labels.get(key, key), [Cell(counts[key], link(slug, key) if counts[key] else "")]) for key in keys]
    total = sum(counts.values())
    rows.append(Row(total_label, [Cell(total, link(slug, "") if total else "")], is_total=True))
    chart_labels = [labels.get(key, key) for key in keys]
    values = [counts[key] for key in keys]
    return Figure(
        slug=slug, title=title, when=when, description=description, columns=[column, unit], rows=rows,
        chart=_bar(chart_labels, [(unit, values)], horizontal=horizontal) if keys else None,
        chart_label=_described(title, chart_labels, values),
    )


def requests_figure(filters: Filters, link: Link) -> Figure:
    counts = selectors.requests_by_status(filters)
    return _by_category(
        "requests", "Requests for support and their decisions", PERIOD,
        "Requests received in the period, by where each one stands now.",
        "Decision", counts, dict(RequestStatus.choices), link, unit="Requests", total_label="All requests received",
    )


def open_figure(filters: Filters, link: Link) -> Figure:
    counts = selectors.open_episodes_by_state(filters)
    return _by_category(
        "open", "Open episodes by stage", NOW, "Early help episodes open today, by stage.",
        "Stage", counts, dict(EpisodeState.choices), link, unit="Episodes", total_label="All open episodes",
    )


def assessments_figure(filters: Filters, link: Link) -> Figure:
    months = selectors.assessment_timeliness(filters)
    rows = []
    for month in months:
        key = month.month.strftime("%Y-%m")
        rows.append(Row(_month_label(month.month), [
            Cell(month.completed, link("assessments", key) if month.completed else ""),
            Cell(month.within, link("assessments", f"{key}:within") if month.within else ""),
            Cell(month.late, link("assessments", f"{key}:late") if month.late else ""),
            Cell(f"{month.percent}%" if month.percent is not None else "No assessments"),
        ]))
    completed = sum(m.completed for m in months)
    within = sum(m.within for m in months)
    percent = round(100 * within / completed) if completed else None
    rows.append(Row("All months", [
        Cell(completed, link("assessments", "") if completed else ""),
        Cell(within, link("assessments", "within") if within else ""),
        Cell(completed - within, link("assessments", "late") if completed - within else ""),
        Cell(f"{percent}%" if percent is not None else "No assessments"),
    ], is_total=True))
    labels = [_month_label(m.month) for m in months]
    values = [m.percent for m in months]
    return Figure(
        slug="assessments", title="Assessments completed within 10 working days", when=PERIOD,
        description="Assessments completed in the period, by month, and how many were completed by their due "
                    "date (10 working days from the start).",
        columns=["Month", "Completed", "Within 10 working days", "Late", "Percentage within"], rows=rows,
        chart={"type": "line", "percent": True, "labels": labels,
               "datasets": [{"label": "Percentage completed within 10 working days", "data": values}]},
        chart_label=_described("Percentage of assessments completed within 10 working days, by month", labels,
                               [f"{v}%" if v is not None else None for v in values]),
    )


def overdue_figure(filters: Filters, today: date, link: Link) -> Figure:
    counts = selectors.overdue_by_kind(filters, today)
    return _by_category(
        "overdue", "Overdue assessments, meetings and reviews", NOW,
        "Open episodes whose next step was due before today, by what is due.",
        "What is overdue", counts, dict(DueKind.choices), link, unit="Episodes", total_label="All overdue",
    )


def no_review_figure(filters: Filters, today: date, link: Link) -> Figure:
    every_team = selectors.no_review_in_12_weeks_by_team(filters, today)
    # A council has hundreds of teams: the dashboard names those with the most (as the caseload
    # figure does); the list behind the total shows every episode.
    teams = sorted(every_team, key=lambda team: (-team[2], team[1]))[:TEAMS_SHOWN]
    rows = [Row(name, [Cell(count, link("no_review", str(team_id) if team_id else "none"))])
            for team_id, name, count in teams]
    total = sum(count for _, _, count in every_team)
    rows.append(Row("All teams", [Cell(total, link("no_review", "") if total else "")], is_total=True))
    labels, values = [name for _, name, _ in teams], [count for _, _, count in teams]
    shown = (f" The {TEAMS_SHOWN} teams with the most of {len(every_team)} are shown."
             if len(every_team) > TEAMS_SHOWN else "")
    return Figure(
        slug="no_review", title="Plans with no review in 12 weeks", when=NOW,
        description=f"Open episodes whose plan has gone more than 12 weeks without a review, by team.{shown}",
        columns=["Team", "Episodes"], rows=rows,
        chart=_bar(labels, [("Episodes", values)], horizontal=True) if teams else None,
        chart_label=_described("Plans with no review in 12 weeks, by team", labels, values),
    )


def stepping_figure(filters: Filters, link: Link) -> Figure:
    months = selectors.stepping_by_month(filters)
    rows = []
    for month, ups, downs in months:
        key = month.strftime("%Y-%m")
        rows.append(Row(_month_label(month), [Cell(ups, link("step_ups", key) if ups else ""),
                                              Cell(downs, link("step_downs", key) if downs else "")]))
    total_ups, total_downs = sum(m[1] for m in months), sum(m[2] for m in months)
    rows.append(Row("All months", [Cell(total_ups, link("step_ups", "") if total_ups else ""),
                                   Cell(total_downs, link("step_downs", "") if total_downs else "")], is_total=True))
    labels = [_month_label(m[0]) for m in months]
    return Figure(
        slug="stepping", title="Step-ups and step-downs per month", when=PERIOD,
        description="Step-ups to Children's Social Care requested, and step-downs to early help proposed, each month.",
        columns=["Month", "Step-ups", "Step-downs"], rows=rows,
        chart={"type": "line", "labels": labels, "datasets": [
            {"label": "Step-ups", "data": [m[1] for m in months]},
            {"label": "Step-downs", "data": [m[2] for m in months]},
        ]},
        chart_label=f"Step-ups and step-downs per month: {total_ups} step-ups and {total_downs} step-downs in all",
    )


def caseload_figure(filters: Filters, link: Link) -> Figure:
    everyone = selectors.caseload_by_worker(filters)
    # A council has hundreds of workers: the dashboard shows the largest caseloads (and episodes
    # with no worker); the team worklists and the list behind the total show everyone's.
    caseloads = everyone[:CASELOADS_SHOWN] + [c for c in everyone[CASELOADS_SHOWN:] if c.worker_id is None]
    rows = [Row(c.name, [Cell(c.count, link("caseload", str(c.worker_id) if c.worker_id else "none"))])
            for c in caseloads]
    total = sum(c.count for c in everyone)
    rows.append(Row("All open episodes", [Cell(total, link("caseload", "") if total else "")], is_total=True))
    labels, values = [c.name for c in caseloads], [c.count for c in caseloads]
    workers = sum(1 for c in everyone if c.worker_id)
    shown = (f" The {CASELOADS_SHOWN} largest of {workers} workers' caseloads are shown."
             if workers > CASELOADS_SHOWN else "")
    return Figure(
        slug="caseload", title="Caseload per worker", when=NOW,
        description=f"Open episodes held by each allocated worker.{shown}",
        columns=["Worker", "Open episodes"], rows=rows,
        chart=_bar(labels, [("Open episodes", values)], horizontal=True) if caseloads else None,
        chart_label=_described("Caseload per worker", labels, values),
    )


def closures_figure(filters: Filters, link: Link) -> Figure:
    counts = selectors.closures_by_reason(filters)
    return _by_category(
        "closures", "Closures by reason", PERIOD, "Episodes closed in the period, by the reason recorded.",
        "Reason", counts, dict(ClosureReason.choices), link, unit="Episodes", total_label="All closures",
        keep_zeros=False,
    )


def needs_figure(filters: Filters, link: Link) -> Figure:
    forms, counts = selectors.needs_profile(filters)
    ordered = dict(sorted(counts.items(), key=lambda item: (-item[1], AssessmentFactor.values.index(item[0]))))
    labels = {code: f"{code}: {label}" for code, label in AssessmentFactor.choices}
    keys = list(ordered)
    rows = [Row(labels[key], [Cell(ordered[key], link("needs", key))]) for key in keys]
    rows.append(Row("Monitoring forms completed", [Cell(forms, link("needs", "") if forms else "")], is_total=True))
    chart_labels, values = [labels[key] for key in keys], [ordered[key] for key in keys]
    return Figure(
        slug="needs", title="Needs profile by assessment factor", when=PERIOD,
        description="From the monitoring forms of assessments completed in the period: how many families had "
                    "each assessment factor (a family can have several).",
        columns=["Assessment factor", "Families"], rows=rows,
        chart=_bar(chart_labels, [("Families", values)], horizontal=True) if keys else None,
        chart_label=_described("Needs profile by assessment factor", chart_labels, values),
    )


def need_outcomes_figure(filters: Filters, link: Link) -> Figure:
    counts = selectors.need_outcomes(filters)
    return _by_category(
        "need_outcomes", "Needs at closure", PERIOD,
        "For episodes closed in the period: the outcome recorded for each agreed need.",
        "Outcome", counts, dict(NeedOutcome.Result.choices), link, unit="Needs", total_label="All needs",
        horizontal=False,
    )


def plan_outcomes_figure(filters: Filters, link: Link) -> Figure:
    counts = selectors.plan_outcomes(filters)
    labels = {"yes": "Achieved", "no": "Not achieved", "unknown": "Not recorded"}
    return _by_category(
        "plan_outcomes", "Plan outcomes achieved", PERIOD,
        "For episodes closed in the period: whether each outcome in the family's plan was achieved.",
        "Achieved", counts, labels, link, unit="Outcomes", total_label="All plan outcomes", horizontal=False,
    )


FIGURE_TITLES = {
    "requests": "Requests for support and their decisions",
    "open": "Open episodes by stage",
    "assessments": "Assessments completed within 10 working days",
    "overdue": "Overdue assessments, meetings and reviews",
    "no_review": "Plans with no review in 12 weeks",
    "step_ups": "Step-ups to Children's Social Care",
    "step_downs": "Step-downs to early help",
    "stepping": "Step-ups and step-downs per month",
    "caseload": "Caseload per worker",
    "closures": "Closures by reason",
    "needs": "Needs profile by assessment factor",
    "need_outcomes": "Needs at closure",
    "plan_outcomes": "Plan outcomes achieved",
}


def build_figure(slug: str, filters: Filters, today: date, link: Link) -> Figure:
    builders = {
        "requests": lambda: requests_figure(filters, link),
        "open": lambda: open_figure(filters, link),
        "assessments": lambda: assessments_figure(filters, link),
        "overdue": lambda: overdue_figure(filters, today, link),
        "no_review": lambda: no_review_figure(filters, today, link),
        "stepping": lambda: stepping_figure(filters, link),
        "caseload": lambda: caseload_figure(filters, link),
        "closures": lambda: closures_figure(filters, link),
        "needs": lambda: needs_figure(filters, link),
        "need_outcomes": lambda: need_outcomes_figure(filters, link),
        "plan_outcomes": lambda: plan_outcomes_figure(filters, link),
    }
    if slug not in builders:
        raise selectors.UnknownFigure(slug)
    return builders[slug]()


FIGURE_ORDER = ("requests", "open", "assessments", "overdue", "no_review", "stepping", "caseload", "closures",
                "needs", "need_outcomes", "plan_outcomes")


def build_dashboard(filters: Filters, today: date, link: Link) -> list[Figure]:
    return [build_figure(slug, filters, today, link) for slug in FIGURE_ORDER]


def _total(figure: Figure, column: int = 0) -> Cell:
    return next(row.cells[column] for row in figure.rows if row.is_total)


def headlines(figures: list[Figure]) -> list[Headline]:
    """The few numbers at the top of the page, each linking to its list."""
    by_slug = {figure.slug: figure for figure in figures}
    assessments = by_slug["assessments"]
    if _total(assessments).value:
        timeliness = Headline("of assessments completed within 10 working days", str(_total(assessments, 3).value),
                              _total(assessments, 1).href)
    else:
        timeliness = Headline("assessments completed in the period", "0", "")
    return [
        Headline("requests received in the period", str(_total(by_slug["requests"]).value),
                 _total(by_slug["requests"]).href),
        Headline("open episodes", str(_total(by_slug["open"]).value), _total(by_slug["open"]).href),
        timeliness,
        Headline("episodes with work overdue", str(_total(by_slug["overdue"]).value), _total(by_slug["overdue"]).href),
        Headline("plans with no review in 12 weeks", str(_total(by_slug["no_review"]).value),
                 _total(by_slug["no_review"]).href),
    ]


def write_figure_csv(figure: Figure, handle) -> None:
    writer = csv_writer(handle)
    writer.writerow(figure.columns)
    for row in figure.rows:
        writer.writerow([row.label, *[cell.value if cell.value is not None else "" for cell in row.cells]])


def list_heading(figure: str, key: str) -> str:
    """What the list behind a figure shows, in words."""
    if figure not in FIGURE_TITLES or figure == "stepping":
        raise selectors.UnknownFigure(figure)
    title = FIGURE_TITLES[figure]
    labels: dict[str, str] = {
        "requests": dict(RequestStatus.choices), "open": dict(EpisodeState.choices),
        "overdue": dict(DueKind.choices), "closures": dict(ClosureReason.choices),
        "needs": {code: f"{code}: {label}" for code, label in AssessmentFactor.choices},
        "need_outcomes": dict(NeedOutcome.Result.choices),
        "plan_outcomes": {"yes": "Achieved", "no": "Not achieved", "unknown": "Not recorded"},
        "caseload": {"none": "No allocated worker"}, "no_review": {"none": "No team"},
    }.get(figure, {})
    if not key:
        return title
    if figure in ("assessments", "step_ups", "step_downs"):
        month, _, result = key.partition(":") if key[:1].isdigit() else ("", "", key)
        parts = []
        if month:
            try:
                parts.append(date.fromisoformat(f"{month}-01").strftime("%B %Y"))
            except ValueError:
                raise selectors.UnknownFigure(key) from None
        parts.append({"within": "within 10 working days", "late": "late"}.get(result, result))
        return f"{title}: {', '.join(part for part in parts if part)}"
    if key in labels:
        return f"{title}: {labels[key]}"
    if figure in ("caseload", "no_review") and key.isdigit():
        name = selectors.worker_name(int(key)) if figure == "caseload" else selectors.team_name(int(key))
        if name:
            return f"{title}: {name}"
    return title
