"""A worker made ready before it serves (config/worker.py)."""

import gc

from django.template import engines

from earlyhelp.config import worker


def test_every_one_of_our_templates_compiles_as_the_worker_starts():
    names = worker._our_template_names(engines.all()[0])
    assert "web/base.html" in names and "people/already_known.html" in names
    assert any(name.startswith("gds/") for name in names)  # the form layouts every form page renders
    assert not any(name.startswith("admin/") for name in names)  # not the libraries' own pages
    assert worker.templates_compiled() == len(names)


def test_what_the_worker_loaded_is_kept_out_of_the_collectors_sight():
    try:
        worker.worker_ready()
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
