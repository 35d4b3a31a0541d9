"""Two enhancements of GOV.UK form components, written once for every form.

PickList: a select that web/init.js turns into alphagov's accessible autocomplete when it offers more
than LONG_LIST choices (about 50 names for a lead professional); without JavaScript, or with a short
list, it stays the plain select. Its options are joined in Python (web/widgets/pick_list.html), so a
council's hundreds of teams render in a millisecond or two. Its empty choice says what to do
("Choose a worker"), never Django's "---------" (a ModelChoiceField's empty_label;
tests/web/test_widgets.py checks every form).

Reveals: radios whose answers reveal their follow-up questions (GOV.UK Frontend's conditional reveal).
Each follow-up sits in a govuk-radios__conditional block after its answer; GOV.UK Frontend hides it
until that answer is chosen; without JavaScript every follow-up shows. Use it in a form's layout in
place of Field.radios:

    Reveals("family_agreement", {"no": ["no_agreement_reason"]}, legend_size=Size.MEDIUM)

A follow-up is a field's name or a layout object (Field.textarea("reason", rows=3)). RevealCheckbox
does the same for a single checkbox.
The follow-ups must not be in the layout a second time; a follow-up posted with another answer is the
form's to ignore (the browser still sends a hidden follow-up's value).
"""

from crispy_forms.utils import TEMPLATE_PACK, render_field
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.utils.html import escape
from django.utils.safestring import mark_safe

LONG_LIST = 15


class PickList(forms.Select):
    template_name = "web/widgets/pick_list.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # Counted from the options being rendered: no extra query for a queryset's choices.
        offered = sum(1 for _group, options, _index in context["widget"]["optgroups"]
                      for option in options if option["value"] not in ("", None))
        if offered > LONG_LIST:
            context["widget"]["attrs"]["data-autocomplete"] = "true"
        context["widget"]["options_html"] = _options_html(context["widget"]["optgroups"])
        return context


def _options_html(optgroups) -> str:
    """The select's options and groups as Django's template writes them, joined in Python with
    each value and label escaped: a template loop (or format_html) costs tens of microseconds an
    option, and a council has hundreds of teams."""
    def option(choice) -> str:
        value = "" if choice["value"] is None else escape(str(choice["value"]))
        selected = " selected" if choice["attrs"].get("selected") else ""
        return f'<option value="{value}"{selected}>{escape(str(choice["label"]))}</option>'

    parts = []
    for name, choices, _index in optgroups:
        options = "".join(option(choice) for choice in choices)
        parts.append(f'<optgroup label="{escape(str(name))}">{options}</optgroup>' if name else options)
    return mark_safe("".join(parts))  # every value and label escaped above


# crispy-forms-gds chooses a widget's GOV.UK classes (govuk-select, govuk-select--error) by its class name.
PickList.__name__ = "Select"


def _rendered(names, form, context, template_pack, **kwargs) -> str:
    # Each part is rendered (and escaped) by its own template, so the whole is safe.
    return mark_safe("".join(render_field(name, form, context, template_pack=template_pack, **kwargs)
                   for name in names if not isinstance(name, str) or name in form.fields))


class Reveals(Field):
    template = "web/layout/reveals.html"

    def __init__(self, field: str, reveals: dict, *, legend_size=None, legend_tag=None, small=False, **kwargs):
        context = {"radios_small": small}
        if legend_size:
            context["legend_size"] = Size.for_legend(legend_size)
        if legend_tag:
            context["legend_tag"] = legend_tag
        super().__init__(field, context=context, **kwargs)
        self.reveals = {str(value): list(names) for value, names in reveals.items()}

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        field = form[self.fields[0]]
        revealed = {value: _rendered(names, form, context, template_pack, **kwargs)
                    for value, names in self.reveals.items()}
        chosen = str(field.value()) if field.value() is not None else None
        self.context["reveal_choices"] = [
            (value, label, revealed.get(str(value), ""), str(value) == chosen)
            for value, label in field.field.choices
        ]
        return super().render(form, context, template_pack=template_pack, **kwargs)


class RevealCheckbox(Field):
    """One checkbox (a BooleanField) whose follow-ups show when it is ticked, as Reveals does for radios:

        RevealCheckbox("significant", ["significant_category"], small=True)
    """

    template = "web/layout/reveal_checkbox.html"

    def __init__(self, field: str, follow_ups: list, *, small=False, **kwargs):
        super().__init__(field, context={"checkboxes_small": small}, **kwargs)
        self.follow_ups = list(follow_ups)

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        field = form[self.fields[0]]
        self.attrs["data-aria-controls"] = f"conditional-{field.auto_id}"
        self.context["revealed"] = _rendered(self.follow_ups, form, context, template_pack, **kwargs)
        self.context["revealed_open"] = bool(field.value())
        return super().render(form, context, template_pack=template_pack, **kwargs)


def form_helper(*fields) -> FormHelper:
    """A form's layout inside a page that holds the <form>, its CSRF token and its buttons (question
    pages, and forms shown inside a larger page)."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields)
    return helper
