"""The user's API tokens page (under their account): make one, see it once, revoke one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from earlyhelp.policy import require
from earlyhelp.web.form_errors import apply_errors

from . import selectors, services
from .forms import TokenForm


@require_http_methods(["GET", "POST"])
def api_tokens(request):
    require(request.user, "api.make_token")
    form = TokenForm(request.POST or None)
    made = None
    if request.method == "POST" and form.is_valid():
        try:
            record, made = services.token_create(user=request.user, name=form.cleaned_data["name"], by=request.user)
        except ValidationError as error:
            apply_errors(error, form)
        else:
            form = TokenForm()
    response = render(request, "api/tokens.html", {
        "form": form, "made": made, "tokens": selectors.tokens_for_user(request.user),
    }, status=400 if form.errors else 200)
    response["Cache-Control"] = "no-store"  # the new token is on this page once: never kept by a cache
    return response


@require_POST
def api_token_revoke(request, token_id: int):
    token = selectors.token_get_for_user(request.user, token_id)
    services.token_revoke(token=token, by=request.user)
    messages.success(request, f"Token “{token.name}” revoked: it no longer works")
    return redirect("api-tokens")
