"""The tag beside an episode's next due date, the same on every list and on the episode."""

from django import template
from django.utils.html import format_html, format_html_join

from earlyhelp.episodes.due import (
    ReviewLateness,
    episode_review_lateness,
    review_lateness,
    review_lateness_label,
)
from earlyhelp.episodes.models import DueKind

register = template.Library()

TAG = '<strong class="govuk-tag govuk-tag--{}"{}>{}</strong>'
REVIEW_COLOURS = {ReviewLateness.PAST_IDEAL: "orange", ReviewLateness.PAST_MAXIMUM: "red"}


def _review_tag(lateness: str) -> str:
    return format_html(TAG, REVIEW_COLOURS[lateness], format_html(' data-review-lateness="{}"', lateness),
                       review_lateness_label(lateness))


@register.simple_tag
def next_due_tag(episode, today, soon=None):
    """"Overdue" / "Due soon" for the next thing due; a review says how late it is (past the ideal 6 weeks
    or past the 12-week maximum), and a late review shows even when an action is due before it."""
    if not episode.next_due_on:
        return ""
    parts = []
    if episode.next_due_kind == DueKind.REVIEW and episode.next_due_on < today:
        lateness = review_lateness(due_on=episode.review_due_on or episode.next_due_on,
                                   latest_on=episode.review_latest_on, today=today)
        parts.append(_review_tag(lateness))
    elif episode.next_due_on < today:
        parts.append(format_html(TAG, "red", "", "Overdue"))
    elif soon and episode.next_due_on <= soon:
        parts.append(format_html(TAG, "yellow", "", "Due soon"))
    if episode.next_due_kind != DueKind.REVIEW:
        lateness = episode_review_lateness(episode, today)
        if lateness:
            parts.append(format_html('<br><span class="govuk-body-s">Review: {}</span>', _review_tag(lateness)))
    return format_html_join(" ", "{}", ((part,) for part in parts))
