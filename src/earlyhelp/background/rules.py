"""Who may see a file made in the background (docs/roles.md)."""

import rules

from earlyhelp.policy import declare, may


@rules.predicate
def asked_for_it(user, background_file) -> bool:
    return background_file is not None and background_file.requested_by_id == user.pk


@rules.predicate
def may_still_ask_for_it(user, background_file) -> bool:
    """The permission that let them ask, asked again: a user who has since lost it cannot download."""
    from .kinds import kind_of

    if background_file is None:
        return False
    kind = kind_of(background_file.kind)
    return may(user, kind.permission, kind.policy_object(background_file.params))


declare("background.view_file", asked_for_it & may_still_ask_for_it, record="File made in the background",
        who="only the person who asked for it, while they still may ask for it")
