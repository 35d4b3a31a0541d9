"""Forms for alerts about risks to workers. Every message says what is wrong and how to put it right."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from earlyhelp.web.limits import limit_free_text

from .models import AlertKind

NO_ONE = ""


def _helper(*fields) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False  # the page template holds the <form> and its button
    helper.layout = Layout(*fields)
    return helper


class AlertForm(forms.Form):
    kind = forms.ChoiceField(label="What is the risk to workers?", choices=AlertKind.choices,
                             widget=forms.RadioSelect,
                             error_messages={"required": "Select what kind of risk to workers it is"})
    details = forms.CharField(
        label="What do workers need to know?", widget=forms.Textarea,
        help_text="What happened and when, and what to do: for example, visit in pairs, ask for the dog to be "
                  "shut away, meet at the children's centre.",
        error_messages={"required": "Enter what workers need to know: what happened, when, and what to do"},
    )
    person = forms.TypedChoiceField(label="Is the risk from someone in the family? (optional)", required=False,
                                    coerce=int, empty_value=None)

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {person.pk: person for person in people}
        self.fields["person"].choices = [(NO_ONE, "No one in particular")] + [
            (person.pk, person.full_name) for person in people]
        self.helper = _helper(
            Field.radios("kind", legend_size=Size.MEDIUM, legend_tag="h2"),
            Field.textarea("details", label_size=Size.MEDIUM, label_tag="h2", rows=5),
            Field.select("person", label_size=Size.SMALL),
        )

    def chosen_person(self):
        return self.people.get(self.cleaned_data.get("person"))


class AlertEndForm(forms.Form):
    reason = forms.CharField(
        label="Why has the risk to workers ended?", widget=forms.Textarea,
        help_text="For example, the person has moved out, or the dog has been rehomed. The alert stays in the "
                  "family's history.",
        error_messages={"required": "Enter why the risk to workers has ended"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("reason", label_size=Size.MEDIUM, label_tag="h2", rows=4))


limit_free_text(globals())
