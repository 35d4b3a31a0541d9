"""The kinds of message: what each says, who may choose not to receive it, and its Notify template setting.

Every message says only that something happened and links to the service: never a child's or a family's
name, address or any detail (the reader signs in to see them). The same personalisation fills the Notify
template and the e-mail sent over SMTP, so both say the same (docs/messages.md lists each kind's fields).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    name: str
    label: str  # on the user's choices page
    subject: str  # format strings over the personalisation
    body: str
    default: bool = True  # what a user receives until they choose
    choosable: bool = True  # False: not offered (sent to shared addresses or to families)


KINDS: dict[str, Kind] = {kind.name: kind for kind in [
    Kind("allocation", "When a family is allocated to me",
         "{service_name}: a family has been allocated to you",
         "A family has been allocated to you in {service_name}.\n\nSign in to see the family's work:\n{link}"),
    Kind("harm_raised", "A concern of significant harm is raised",
         "{service_name}: a concern of significant harm has been raised",
         "A concern of significant harm has been raised in {service_name} and is waiting for Children's Social "
         "Care's decision.\n\nSign in to read it:\n{link}", choosable=False),
    Kind("step_up_decided", "When Children's Social Care decides on a step up I asked for",
         "{service_name}: Children's Social Care has decided on a step up",
         "Children's Social Care has {decision} a step up you asked for in {service_name}.\n\nSign in to see "
         "it:\n{link}"),
    Kind("step_down_decided", "When early help decides on a step down I proposed",
         "{service_name}: early help has decided on a step down",
         "Early help has {decision} a step down you proposed in {service_name}.\n\nSign in to see it:\n{link}"),
    Kind("action_due", "When an action I own in a family's plan is due",
         "{service_name}: an action is due on {due_date}",
         "An action you own in a family's plan in {service_name} is due on {due_date}.\n\nSign in to see "
         "it:\n{link}"),
    Kind("review_due", "When a review of a plan I lead or hold is due",
         "{service_name}: a plan review is due on {due_date}",
         "A review of a family's plan you lead or hold in {service_name} is due on {due_date}.\n\nSign in to "
         "see it:\n{link}"),
    Kind("taf_invitation", "Invitations to Team Around the Family meetings",
         "{service_name}: invitation to a Team Around the Family meeting on {meeting_date}",
         "You are invited to a Team Around the Family meeting on {meeting_date} at {meeting_time}, at "
         "{meeting_place}.\n\nThe calendar file adds it to your calendar. Sign in to see the family's "
         "work:\n{link}"),
    Kind("family_acknowledgement", "",
         "{service_name}: we have your request for help",
         "Thank you for asking {local_authority} for help. We have your request and will be in touch within "
         "{working_days} working days.\n\nIf you are worried a child is in danger now, call 999.\n\n{link}",
         choosable=False),
]}

SMS_BODY = {
    "family_acknowledgement": "{local_authority}: thank you, we have your request for help and will be in touch "
                              "within {working_days} working days. If a child is in danger now, call 999.",
}


def kind_of(name: str) -> Kind:
    return KINDS[name]


def choosable_kinds() -> list[Kind]:
    return [kind for kind in KINDS.values() if kind.choosable]
