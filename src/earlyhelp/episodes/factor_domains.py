"""Which side of the assessment framework each Children in Need census assessment factor belongs to,
so the agreed needs can be shown grouped the way the assessment is (docs/assessment.md).

Neither the census guide nor the Framework for the Assessment of Children in Need and their Families
(2000) gives this mapping, so it is written here, once, from two sources:

- the census guide's own split of a factor by whom the concern is about (Department for Education,
  "Children in need census: guide", assessment factors): "A" concerns about the child, "B" about a
  parent or carer, "C" about another person in the household;
- the Framework's three domains (STANDARDS.md): the child's developmental needs, parenting capacity,
  and family and environmental factors. A concern about the child sits with the child's
  developmental needs, one about a parent or carer with parenting capacity (neglect: basic care;
  emotional abuse: emotional warmth; abuse by an adult: ensuring safety), and one about another
  person in the household, or the child's living arrangements, with family and environmental
  factors. "Other" and "No factors identified" fit no domain and are shown last on their own.
"""

from crispy_forms_gds.layout import Field, Size
from django import forms

from earlyhelp.standards import AssessmentFactor, FrameworkDomain

OTHER_GROUP = "other"

_CHILD = (
    "1A", "2A", "3A", "4A", "5A", "6A", "7A", "9A", "10A", "11A", "12A", "13A", "14A", "15A",
    "18B", "19B", "22A", "24A",
)
_PARENTING = ("1B", "2B", "3B", "4B", "5B", "6B", "16A", "17A", "18C", "19C", "23A")
_FAMILY = ("1C", "2C", "3C", "4C", "5C", "6C", "8B", "8C", "8D", "8E", "8F")
_OTHER = ("20", "21")

FACTOR_DOMAIN: dict[str, str] = {
    **{code: FrameworkDomain.CHILD_DEVELOPMENT for code in _CHILD},
    **{code: FrameworkDomain.PARENTING_CAPACITY for code in _PARENTING},
    **{code: FrameworkDomain.FAMILY_ENVIRONMENT for code in _FAMILY},
    **{code: OTHER_GROUP for code in _OTHER},
}

# Groups in the framework's order, then the rest; each with its legend.
FACTOR_GROUPS: tuple[tuple[str, str], ...] = (
    *((domain.value, domain.label) for domain in FrameworkDomain),
    (OTHER_GROUP, "Other, or no factors"),
)


def factors_in_group(group: str) -> list[tuple[str, str]]:
    """(code, label) of the factors in one group, in the census's order."""
    return [(code, label) for code, label in AssessmentFactor.choices if FACTOR_DOMAIN[code] == group]


class GroupedFactorsMixin:
    """A form's assessment factors as one set of checkboxes per group, each with its legend (the
    assessment's agreed needs, a step up's factors); the codes are stored, the labels shown."""

    field_prefix = "factors"
    invalid_choice_message = "Select assessment factors from the list"

    def factor_group_fields(self) -> list:
        """Adds the groups' fields to the form; their layout, in the framework's order."""
        layout = []
        for group, legend in FACTOR_GROUPS:
            self.fields[self.group_name(group)] = forms.MultipleChoiceField(
                label=legend, choices=factors_in_group(group), required=False, widget=forms.CheckboxSelectMultiple,
                error_messages={"invalid_choice": self.invalid_choice_message},
            )
            layout.append(Field.checkboxes(self.group_name(group), legend_size=Size.MEDIUM, legend_tag="h2",
                                           small=True))
        return layout

    @classmethod
    def group_name(cls, group: str) -> str:
        return f"{cls.field_prefix}_{group}"

    @classmethod
    def initial_for(cls, codes: list[str]) -> dict:
        return {cls.group_name(group): [code for code in codes if FACTOR_DOMAIN.get(code) == group]
                for group, _ in FACTOR_GROUPS}

    def chosen_factors(self) -> list[str]:
        return [code for group, _ in FACTOR_GROUPS for code in self.cleaned_data.get(self.group_name(group)) or []]
