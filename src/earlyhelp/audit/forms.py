from django import forms

from earlyhelp.web.limits import limit_free_text


class AuditSearchForm(forms.Form):
    q = forms.CharField(label="Name or NHS number", max_length=200, required=False,
                        widget=forms.TextInput(attrs={"spellcheck": "false"}))


limit_free_text(globals())
