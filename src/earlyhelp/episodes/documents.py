"""Shared documents (DOMAIN §4): the assessment and the plan as PDFs to give to the family.

Each document is a Django template rendered to HTML and then to PDF by WeasyPrint. The HTML is
kept separate so it can be checked on its own. Nothing is fetched over the network: the
templates carry their own print stylesheet and no images.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Assessment, Episode
from .services.assessment import (
    agreed_need_labels,
    current_children_list,
    family_ratings_by_domain,
    plan_outcomes_for_documents,
    section_ratings_by_domain,
)


def html_to_pdf(html: str) -> bytes:
    # Imported here: WeasyPrint loads Pango, which only the documents need.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # No protocol is allowed: building a document never reaches the network or the file system.
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()


def _common(episode: Episode) -> dict:
    return {
        "episode": episode,
        "family": episode.family,
        "lead": episode.lead_professional,
        "local_authority": settings.EARLYHELP_LOCAL_AUTHORITY,
        "service_name": settings.EARLYHELP_SERVICE_NAME,
        "printed_on": timezone.localdate(),
    }


def assessment_document_html(*, assessment: Assessment) -> str:
    episode = assessment.episode
    current = {person.pk for person in current_children_list(episode)}
    children = []
    sections = [
        section for section in assessment.child_sections.select_related("child").prefetch_related("ratings").order_by(
            "child__date_of_birth", "pk") if section.child_id in current
    ]
    for section in sections:
        children.append({"section": section, "person": section.child, "domains": section_ratings_by_domain(section)})
    return render_to_string("episodes/assessment/pdf/assessment.html", {
        **_common(episode),
        "assessment": assessment,
        "children": children,
        "family_domains": family_ratings_by_domain(assessment, sections),
        "agreed_needs": agreed_need_labels(assessment.agreed_needs),
    })


def assessment_pdf(*, assessment: Assessment) -> bytes:
    return html_to_pdf(assessment_document_html(assessment=assessment))


def plan_document_html(*, episode: Episode) -> str:
    outcomes = [
        {"outcome": outcome, "needs": agreed_need_labels(outcome.needs), "actions": list(outcome.actions.all())}
        for outcome in plan_outcomes_for_documents(episode)
    ]
    return render_to_string("episodes/assessment/pdf/plan.html", {
        **_common(episode),
        "outcomes": outcomes,
        "children": current_children_list(episode),
    })


def plan_pdf(*, episode: Episode) -> bytes:
    return html_to_pdf(plan_document_html(episode=episode))
