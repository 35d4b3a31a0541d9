"""A choice of records by their number that refuses a number no database column could hold.

A low module (Django only). Django's ModelMultipleChoiceField checks each chosen value, then
asks the database for all of them at once (pk__in); a value such as 99999999999999999999 is too
big for SQLite's integers and that query raises OverflowError, a 500. Here any value that is not
a whole number within a 64-bit integer is "not one of the choices" before the query is made.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

BIGGEST = 2**63 - 1


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        key = self.to_field_name or "pk"
        field = self.queryset.model._meta.pk if key == "pk" else self.queryset.model._meta.get_field(key)
        if isinstance(field, (models.AutoField, models.IntegerField)):
            for pk in value if isinstance(value, (list, tuple, set, frozenset)) else [value]:
                text = str(pk).strip()
                if not text.lstrip("-").isdigit() or abs(int(text)) > BIGGEST:
                    raise ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                                          params={"pk": text[:20]})
        return super()._check_values(value)
