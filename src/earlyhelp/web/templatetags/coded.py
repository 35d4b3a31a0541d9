"""`{{ codes|assessment_factor_labels }}`: a stored list of codes shown by their labels (STANDARDS.md:
"store the code and show the label"), each with its code after it, as the forms offer them."""

from django import template

from earlyhelp.standards import AssessmentFactor

register = template.Library()


@register.filter
def assessment_factor_labels(codes) -> list[str]:
    labels = dict(AssessmentFactor.choices)
    return [f"{labels[code]} ({code})" if code in labels else code for code in codes or []]
