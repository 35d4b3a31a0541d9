"""The upload form. The file's checks (size, type from its content, the virus scan) are the
service's (services.check_file), so that every way in has them; the form asks for the rest."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from earlyhelp.web.dates import GovDateField
from earlyhelp.web.limits import limit_free_text

from .content import ACCEPTED
from .models import DocumentCategory
from .services import SELECT_A_FILE

UPLOAD_CATEGORIES = [choice for choice in DocumentCategory.choices if choice[0] != DocumentCategory.GIVEN_TO_FAMILY]


class DocumentForm(forms.Form):
    file = forms.FileField(
        label="Upload a file", allow_empty_file=True, max_length=None,
        help_text="A PDF, a JPG, PNG, GIF, WebP or HEIC image, or a Word or OpenDocument document",
        error_messages={"required": SELECT_A_FILE, "invalid": SELECT_A_FILE},
        # crispy-forms-gds gives this widget the GOV.UK file upload's class; no "clear" box, as it has no initial file
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(sorted({ext for _, ext in ACCEPTED.values()}))}),
    )
    category = forms.ChoiceField(label="What kind of document is it?", choices=UPLOAD_CATEGORIES,
                                 widget=forms.RadioSelect,
                                 error_messages={"required": "Select what kind of document it is"})
    description = forms.CharField(label="Description", widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text="What it is and who it is from, for example \"School attendance report "
                                            "for the autumn term\"",
                                  error_messages={"required": "Enter a description of the document"})
    dated = GovDateField(what="the document's date", label="What date is on the document?", past=True,
                         years_back=100, help_text="For example, 27 3 2026. If it has none, the date it was written "
                                                   "or received")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page template holds the <form> and its button
        self.helper.layout = Layout(
            Field("file"),
            Field.radios("category", legend_size=Size.MEDIUM),
            Field.textarea("description"),
            Field("dated"),
        )


limit_free_text(globals())
