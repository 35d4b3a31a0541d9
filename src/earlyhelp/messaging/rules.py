"""Who may choose which messages they receive (docs/roles.md). Messages themselves go to whom an event names."""

import rules

from earlyhelp.policy import declare

declare("messaging.choose_messages", rules.is_authenticated, record="Choice of messages",
        who="any signed-in user, for themselves")
