"""N identical moves sent at once: one change and N−1 plain refusals, never another exception (PostgreSQL).

Each thread has its own database connection, as gunicorn's workers do; a barrier releases them
together, so they race for the same row lock. The services lock the row and re-check after the
lock, so the losers are refused (web.refusals.Refused, answered 409 by the pages).
"""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from earlyhelp.episodes.models import Closure, Episode, EpisodeEvent, EpisodeState, StepDown, StepUp
from earlyhelp.episodes.services import stepping
from earlyhelp.frontdoor import harm, services
from earlyhelp.frontdoor.models import (
    AllocationDecision,
    AllocationOutcome,
    Escalation,
    EscalationOutcome,
    HarmDecision,
    HarmReferral,
    RequestForSupport,
    TriageOutcome,
)
from earlyhelp.web.refusals import Refused

from ..frontdoor.factories import self_referral
from ..frontdoor.test_checklist_and_level import (  # noqa: F401
    decision,
    escalation,
    family,
    partner,
    support_request,
)
from ..frontdoor.test_triage_and_allocation import meeting, officer, waiting  # noqa: F401
from .test_stepping import episode  # noqa: F401 (a fixture)
from .test_stepping_pages import answer_all, send

THREADS = 8

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and concurrent connections: PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def race(move) -> tuple[list, list[Exception]]:
    """Run move() in THREADS threads at once: what it returned in each, and what it raised in the others."""
    barrier = threading.Barrier(THREADS)
    done, raised, lock = [], [], threading.Lock()

    def run():
        try:
            barrier.wait()
            result = move()
            with lock:
                done.append(result)
        except Exception as error:  # noqa: BLE001 (collected and checked below)
            with lock:
                raised.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return done, raised


def assert_one_change(done: list, raised: list[Exception]):
    assert [type(error) for error in raised if not isinstance(error, Refused)] == [], raised
    assert (len(done), len(raised)) == (1, THREADS - 1)


STEP_UP = {"reasons": ["safeguarding"], "details": "Disclosure at school", "assessment_factors": ["16A"]}
CLOSE = {"reason": "needs_met", "summary_for_family": "Well done.", "need_outcomes": {"3B": ("met", ""), "16A": ("met", "")}}


def test_step_up_sent_at_once(episode, demo_user):  # noqa: F811
    by = demo_user("practitioner")
    assert_one_change(*race(lambda: stepping.episode_step_up(episode=Episode.objects.get(pk=episode.pk), by=by,
                                                             **STEP_UP)))
    assert StepUp.objects.filter(episode=episode).count() == 1
    assert EpisodeEvent.objects.filter(episode=episode, kind="step_up_requested").count() == 1


def test_close_sent_at_once(episode, demo_user):  # noqa: F811
    by = demo_user("practitioner")
    assert_one_change(*race(lambda: stepping.episode_close(episode=Episode.objects.get(pk=episode.pk), by=by,
                                                           **CLOSE)))
    assert Closure.objects.filter(episode=episode).count() == 1


def test_step_up_decision_sent_at_once(episode, demo_user):  # noqa: F811
    step_up = stepping.episode_step_up(episode=episode, by=demo_user("practitioner"), **STEP_UP)
    by = demo_user("socialworker")
    assert_one_change(*race(lambda: stepping.step_up_decide(step_up=StepUp.objects.get(pk=step_up.pk), by=by,
                                                            accept=True, notes="s47")))
    assert Closure.objects.filter(episode=episode).count() == 1


def test_step_down_decision_sent_at_once(episode, demo_user):  # noqa: F811
    Episode.objects.filter(pk=episode.pk).update(state=EpisodeState.CLOSED)
    step_down = StepDown.objects.create(family=episode.family, social_worker=demo_user("socialworker"),
                                        final_assessment_summary="Risks reduced", handover_plan="Joint visit",
                                        proposed_at=timezone.now())
    by = demo_user("frontdoor")
    assert_one_change(*race(lambda: stepping.step_down_decide(step_down=StepDown.objects.get(pk=step_down.pk), by=by,
                                                              accept=False, return_reasons="Still current")))


def test_harm_decision_sent_at_once(episode, demo_user):  # noqa: F811
    referral = HarmReferral.objects.create(family=episode.family, raised_by=demo_user("practitioner"),
                                           raised_at=timezone.now(), what_is_known="Bruise", referral_source="5D")
    by = demo_user("socialworker")
    assert_one_change(*race(lambda: harm.harm_referral_decide(
        referral=HarmReferral.objects.get(pk=referral.pk), decided_by=by, decision=HarmDecision.S47, notes="Why")))


def test_triage_sent_at_once(seeded, demo_user):
    referral = self_referral()
    by = demo_user("frontdoor")
    assert_one_change(*race(lambda: services.triage_decide(
        support_request=RequestForSupport.objects.get(pk=referral.pk), by=by,
        outcome=TriageOutcome.UNIVERSAL, notes="Spoke to mum.")))


def test_escalation_outcome_sent_at_once(escalation, demo_user):  # noqa: F811
    by = demo_user("manager")
    assert_one_change(*race(lambda: services.escalation_resolve(
        escalation=Escalation.objects.get(pk=escalation.pk), resolved_by=by, outcome=EscalationOutcome.UPHELD,
        notes="Early help is right for now")))


def test_allocation_decision_sent_at_once(waiting, meeting, officer):  # noqa: F811
    assert_one_change(*race(lambda: services.allocation_decide(
        meeting=meeting, support_request=RequestForSupport.objects.get(pk=waiting.pk), decided_by=officer,
        outcome=AllocationOutcome.NO_ACTION_NOW, reasons="Needs met by school for now")))
    assert AllocationDecision.objects.filter(request=waiting).count() == 1


def test_step_up_pages_sent_at_once_answer_one_redirect_and_409s(episode, demo_user):  # noqa: F811
    by = demo_user("practitioner")
    answering = Client()
    answering.force_login(by)
    answer_all(answering, "step-up", episode)  # the answers are the user's draft, read by every tab

    def post():
        client = Client()
        client.force_login(by)
        return send(client, "step-up", episode).status_code  # check your answers, from several tabs

    statuses, raised = race(post)
    assert raised == []
    assert sorted(statuses) == [302] + [409] * (THREADS - 1)
    assert StepUp.objects.filter(episode=episode).count() == 1
