"""Size limits on every free-text field, with the GOV.UK message "<Field> must be N characters or fewer".

A low module (Django only). Each forms module ends with `limit_free_text(globals())`: every text
field of its forms that has no limit gets TEXT_LIMIT (the model's TextFields have none of their
own), and every limit, its own or this one, speaks the GOV.UK wording unless the form already
chose a message. A form's CharField for a model CharField names the model's max_length itself.
The request body as a whole is limited in settings (DATA_UPLOAD_MAX_MEMORY_SIZE).
"""

from django import forms
from django.core.validators import MaxLengthValidator

TEXT_LIMIT = 20_000  # characters: several pages of writing, far more than any answer needs
EMAIL_LIMIT = 254  # the model's EmailField; Django's form field allows 320, which PostgreSQL would refuse


def too_long_message(label, limit: int) -> str:
    label = str(label or "Your answer").removesuffix(" (optional)").strip()
    if label.endswith("?"):
        return f"Your answer to “{label}” must be {limit:,} characters or fewer"
    return f"{label} must be {limit:,} characters or fewer"


def limit_field(field: forms.Field, limit: int = TEXT_LIMIT) -> None:
    if not isinstance(field, forms.CharField) or isinstance(field.widget, forms.HiddenInput):
        return
    if isinstance(field, forms.EmailField):
        limit = min(limit, EMAIL_LIMIT)
    if field.max_length is None or field.max_length > limit:
        field.max_length = limit
        field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
        field.validators.append(MaxLengthValidator(limit))
    if "max_length" not in field.error_messages:
        field.error_messages = {**field.error_messages, "max_length": too_long_message(field.label, field.max_length)}


def limit_free_text(namespace: dict) -> None:
    """Limit the text fields of every form class defined in a forms module (pass its globals())."""
    module = namespace.get("__name__")
    for value in list(namespace.values()):
        if isinstance(value, type) and issubclass(value, forms.BaseForm) and value.__module__ == module:
            for field in value.base_fields.values():
                limit_field(field)
