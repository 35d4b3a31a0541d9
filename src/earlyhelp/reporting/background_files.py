"""Annex A for the whole council, made in the background (earlyhelp/background): registered from apps.py."""

import io
from datetime import date

from earlyhelp.background.kinds import Kind, Made, register_kind

ANNEX_A_KIND = "annex_a"


def _make_annex_a(user, params: dict, progress) -> Made:
    from .annex_a import annex_a_problems, annex_a_rows, write_csv, write_xlsx
    from .selectors import require_insight_role
    from .services import CONTENT_TYPES, XLSX

    require_insight_role(user)  # asked again when the work starts: the role may have gone since
    as_of, file_format = date.fromisoformat(params["as_of"]), params["format"]
    progress(5, "Reading every child's early help records")
    rows = annex_a_rows(as_of=as_of)
    progress(55, f"Checking {len(rows):,} rows against Ofsted's rules")
    problems = annex_a_problems(rows)
    if problems:
        return Made(problems=[{"child_id": problem.child_id, "column": problem.column, "message": problem.message}
                              for problem in problems])
    progress(70, f"Writing {len(rows):,} rows")
    if file_format == XLSX:
        buffer = io.BytesIO()
        write_xlsx(rows, buffer)
        content = buffer.getvalue()
    else:
        text = io.StringIO(newline="")
        write_csv(rows, text)
        content = text.getvalue().encode("utf-8")
    return Made(content=content, filename=f"annex-a-list-2-{as_of:%Y-%m-%d}.{file_format}",
                content_type=CONTENT_TYPES[file_format])


def _record_annex_a_download(request, background_file) -> None:
    from .services import ANNEX_A_WHAT, export_record

    export_record(user=request.user, what=ANNEX_A_WHAT, path=request.path)


def _problems_context(user, problems: list[dict]) -> dict:
    from .annex_a import Problem
    from .selectors import annex_a_problem_links

    links = annex_a_problem_links(user, [Problem(**problem) for problem in problems])
    shown = [{**problem, "href": links.get(problem["child_id"], "")} for problem in problems]
    return {"problems": shown, "problem_children": len({problem["child_id"] for problem in problems})}


def register() -> None:
    register_kind(Kind(
        name=ANNEX_A_KIND, permission="reporting.view_insight", policy_object=lambda params: None,
        make=_make_annex_a, record_download=_record_annex_a_download,
        problems_template="reporting/includes/annex_a_problems.html", problems_context=_problems_context,
    ))
