"""Who may make and revoke API tokens (docs/api.md, docs/roles.md).

What a token may read or write is not decided here: a request made with a token is its user's,
and every endpoint asks the same permissions the pages ask (people, frontdoor, episodes, recording).
"""

import rules

from earlyhelp.accounts.models import Role
from earlyhelp.policy import declare, role_in


@rules.predicate
def owns_the_token(user, token) -> bool:
    return token is not None and token.user_id == user.pk


declare("api.make_token", rules.is_authenticated, record="API token",
        who="any signed-in user, for themselves")
declare("api.revoke_token", owns_the_token | role_in(Role.ADMINISTRATOR), record="API token",
        who="the token's user, or an administrator")
