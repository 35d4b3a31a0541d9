"""The user's page choosing which messages they receive (under their account)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from earlyhelp.policy import require

from . import selectors, services
from .forms import PreferencesForm


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
