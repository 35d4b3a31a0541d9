"""The form for allocating open episodes to a worker (services/allocation.py)."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from earlyhelp.web.limits import limit_free_text

from .services.allocation import NOT_ALLOCATED


def worker_label(worker) -> str:
    open_families = f"{worker.caseload} open famil{'y' if worker.caseload == 1 else 'ies'}"
    parts = [worker.get_full_name() or worker.username]
    if worker.job_title:
        parts.append(worker.job_title)
    return f"{', '.join(parts)} ({open_families})"


def opened_with(episodes) -> str:
    """Each episode's worker as the page shows it, sent back so a change meanwhile is caught."""
    return ",".join(f"{episode.pk}={episode.allocated_worker_id or NOT_ALLOCATED}" for episode in episodes)


class AllocationForm(forms.Form):
    episodes = forms.TypedMultipleChoiceField(
        label="Families", coerce=int, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one family to allocate",
                        "invalid_choice": "Choose families from the list"},
    )
    worker = forms.TypedChoiceField(
        label="Who will hold their work?", coerce=int, widget=forms.RadioSelect,
        help_text="Each worker's number of open families is in brackets.",
        error_messages={"required": "Choose who will hold the families' work",
                        "invalid_choice": "Choose an early help practitioner or adviser in your teams"},
    )
    opened = forms.CharField(widget=forms.HiddenInput, required=False, max_length=5000)

    def __init__(self, *args, episodes=(), workers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.workers = {worker.pk: worker for worker in workers}
        self.fields["episodes"].choices = [(episode.pk, episode.family.name) for episode in episodes]
        self.fields["worker"].choices = [(worker.pk, worker_label(worker)) for worker in workers]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.radios("worker", legend_size=Size.MEDIUM, legend_tag="h2"))

    def chosen_worker(self):
        return self.workers.get(self.cleaned_data.get("worker"))

    def expected_workers(self) -> dict[int, int | None]:
        """What the page showed: {episode id: worker id or None}; entries that do not parse are dropped."""
        expected = {}
        for item in (self.cleaned_data.get("opened") or "").split(","):
            episode_id, _, worker_id = item.partition("=")
            if episode_id.isdigit() and (worker_id.isdigit() or worker_id == NOT_ALLOCATED):
                expected[int(episode_id)] = int(worker_id) if worker_id.isdigit() else None
        return expected
limit_free_text(globals())
