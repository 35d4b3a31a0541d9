"""Who may see, record and end alerts about risks to workers (docs/roles.md, docs/alerts.md).

Built on the people app's family predicates: whoever may see the family sees its alerts, and
whoever may change the family records one and ends one, with a reason.
"""

from rules.permissions import permissions

from earlyhelp.people import rules as people_rules  # noqa: F401 (declares the family permissions first)
from earlyhelp.policy import declare

# The very predicates of people.view_family and people.change_family: a change there applies here.
sees_the_family = permissions["people.view_family"]
changes_the_family = permissions["people.change_family"]

declare("alerts.view_alert", sees_the_family, record="Alert about a risk to workers",
        who="anyone who may see the family (people.view_family): on every page of the family and its people")
declare("alerts.add_alert", changes_the_family, record="Alert about a risk to workers",
        who="anyone who may change the family (people.change_family); the assessment's engagement section "
            "records one too")
declare("alerts.end_alert", changes_the_family, record="Alert about a risk to workers",
        who="anyone who may change the family (people.change_family), with a reason")
