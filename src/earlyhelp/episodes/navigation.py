"""The episode's sub-navigation (MOJ Frontend sub-navigation): a tab per stage that exists."""

from django.urls import NoReverseMatch, reverse

EPISODE_TABS = (
    ("Overview", "episode-detail"),
    ("Consent", "episode-consent"),
    ("Information sharing", "episode-sharing"),
    ("Assessment", "episode-assessment"),
    ("Meetings and plan", "episode-plan"),
    ("Reviews", "episode-reviews"),
    ("Case notes", "episode-notes"),
    ("Documents", "episode-documents"),
    ("Step up, step down and close", "episode-stepping"),
)


def episode_tabs(episode_id: int, current_path: str) -> list[dict]:
    tabs = []
    for label, url_name in EPISODE_TABS:
        try:
            href = reverse(url_name, kwargs={"episode_id": episode_id})
        except NoReverseMatch:
            continue  # a stage whose pages are not installed
        tabs.append({"text": label, "href": href, "current": current_path == href})
    return tabs
