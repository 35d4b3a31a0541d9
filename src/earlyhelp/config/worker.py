"""A server process made ready before it answers anyone (wsgi.py calls `worker_ready`).

Django loads lazily: the URLconf (and with it every view module) on the first request, each
template the first time it is rendered. In a new gunicorn worker that work fell on the first
people it served, often the staff signing in as the service opened: hundreds of milliseconds
each under load (docs/performance.md). Done here, it is paid once, as the worker starts.

Then everything loaded so far is moved out of the garbage collector's sight (`gc.freeze`):
the modules, compiled templates and URL patterns live as long as the process, yet every full
collection walked them all, about 80 ms at a time in a loaded worker; frozen, the collector
looks only at what requests make.
"""

import gc
from pathlib import Path

from django.template import engines
from django.urls import get_resolver

import earlyhelp

# Our templates and the GOV.UK form layouts, which every form page renders: not the admin's,
# REST framework's or other libraries' pages, which few requests ask for.
OUR_PACKAGE = Path(earlyhelp.__file__).resolve().parent
TEMPLATE_LIBRARIES = ("crispy_forms_gds",)


def _our_template_names(engine) -> list[str]:
    """Every template in our apps' and the form layouts' template directories."""
    names = []
    for directory in (Path(directory).resolve() for directory in engine.template_dirs):
        if directory.is_relative_to(OUR_PACKAGE) or any(library in directory.parts for library in TEMPLATE_LIBRARIES):
            names += [path.relative_to(directory).as_posix() for path in sorted(directory.rglob("*")) if path.is_file()]
    return names


def templates_compiled() -> int:
    """Every one of our templates compiled into the engines' caches; how many."""
    count = 0
    for engine in engines.all():
        for name in _our_template_names(engine):
            engine.get_template(name)
            count += 1
    return count


def worker_ready() -> None:
    get_resolver().url_patterns  # noqa: B018 (imports every view)
    templates_compiled()
    gc.collect()
    gc.freeze()
