"""docs/roles.md is the table the code implements: its declarations section must be the
declared permissions and ways into a family's network, word for word."""

from pathlib import Path

from earlyhelp.people.access import NETWORK_ROUTES
from earlyhelp.policy import PERMISSIONS, policy_tables

ROLES_DOC = Path(__file__).resolve().parents[1] / "docs" / "roles.md"


def _documented() -> str:
    text = ROLES_DOC.read_text()
    start, end = text.index("<!-- policy:start -->"), text.index("<!-- policy:end -->")
    return text[start + len("<!-- policy:start -->"):end].strip()


def test_docs_roles_md_shows_every_declaration_as_the_code_declares_it():
    assert _documented() == policy_tables().strip(), (
        "docs/roles.md differs from the declarations: run scripts/policy_table.py and paste its output "
        "between the policy markers (and check the prose above still agrees)"
    )


def test_every_app_that_owns_records_declares_may_see_and_may_change():
    names = set(PERMISSIONS)
    for app in ("people", "frontdoor", "episodes", "sharing"):
        assert any(name.startswith(f"{app}.view_") for name in names), app
        assert any(name.startswith(f"{app}.") and not name.startswith(f"{app}.view_") for name in names), app
    assert {"people.view_family", "people.change_family", "frontdoor.view_request", "frontdoor.change_request",
            "frontdoor.view_meeting", "frontdoor.change_meeting", "episodes.view_episode",
            "episodes.change_episode", "frontdoor.view_harm_referral", "sharing.record_consent"} <= names


def test_each_way_into_a_network_says_who_it_lets_in():
    assert len(NETWORK_ROUTES) >= 15
    assert all(route.who for route in NETWORK_ROUTES.values())
