"""The API tokens page's form."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms


class TokenForm(forms.Form):
    name = forms.CharField(label="What is the token for?", max_length=100,
                           help_text="For example, the school's information system. It helps you tell your tokens apart.",
                           error_messages={"required": "Enter what the token is for",
                                           "max_length": "Say what the token is for in 100 characters or fewer"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.text("name", label_size=Size.MEDIUM, label_tag="h2"))
