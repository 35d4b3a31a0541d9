"""The user's page choosing which messages they receive (under their account), and the page inviting
people to a Team Around the Family meeting."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from earlyhelp.policy import require

from . import selectors, services
from .forms import PreferencesForm, TafInvitationForm
from .invitations import taf_invitation_send


@require_http_methods(["GET", "POST"])
def message_preferences(request):
    require(request.user, "messaging.choose_messages")
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            services.message_preferences_set(user=request.user, wanted=set(form.cleaned_data["wanted"]))
            messages.success(request, "Your choice of messages is saved")
            return redirect("message-preferences")
    else:
        form = PreferencesForm(initial={"wanted": sorted(selectors.preferences_for_user(request.user))})
    return render(request, "messaging/preferences.html", {"form": form, "email": request.user.email},
                  status=422 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def taf_invitation(request, episode_id: int):
    from earlyhelp.episodes.selectors import episode_get_for_user
    from earlyhelp.episodes.services.plan import taf_attendee_choices

    episode = episode_get_for_user(request.user, episode_id, page="invite to a Team Around the Family meeting",
                                   path=request.path)
    require(request.user, "episodes.change_episode", episode,
            "Only people who work on this episode invite to its meetings")
    if not episode.is_open:
        messages.info(request, "This episode is closed: there are no more meetings to invite to")
        return redirect("episode-plan", episode_id=episode.pk)
    people = taf_attendee_choices(episode, recorder=request.user)["users"]
    form = TafInvitationForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        sent = taf_invitation_send(episode=episode, by=request.user, invitees=form.invited(),
                                   starts_at=data["starts_at"], minutes=data["minutes"], place=data["place"])
        if sent:
            messages.success(request, f"Invitation sent to {sent} {'person' if sent == 1 else 'people'}, "
                                      "each with a calendar file")
        else:
            messages.info(request, "No invitation was sent: the people chosen have no e-mail address, "
                                   "or have chosen not to receive invitations")
        return redirect("episode-plan", episode_id=episode.pk)
    return render(request, "messaging/taf_invitation.html",
                  {"form": form, "episode": episode, "family": episode.family},
                  status=422 if form.errors else 200)
