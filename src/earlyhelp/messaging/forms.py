"""The user's choice of messages: GOV.UK checkboxes, one for each kind they may choose."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from .kinds import choosable_kinds


class PreferencesForm(forms.Form):
    wanted = forms.MultipleChoiceField(
        label="Which e-mails do you want to receive?", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply. Messages say only that something happened, with a link: "
                  "never a child's or a family's details.",
        error_messages={"invalid_choice": "Select only the messages listed"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wanted"].choices = [(kind.name, kind.label) for kind in choosable_kinds()]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.checkboxes("wanted", legend_size=Size.MEDIUM, legend_tag="h2"))
