"""Signing in through the council's provider: mozilla-django-oidc's views, reading the provider's discovery document."""

import logging

import requests
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.generic import View
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from earlyhelp.accounts.two_factor import PROVIDER_MFA_SESSION_KEY

from . import provider
from .backend import SESSION_REFUSED

logger = logging.getLogger(__name__)


def _provider_unavailable(request):
    return render(request, "sso/problem.html", {"unavailable": True}, status=503)


@method_decorator(login_not_required, name="dispatch")
class SignInStartView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider's sign-in page (state, nonce and PKCE kept in the session)."""

    get_settings = staticmethod(provider.provider_setting)

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)  # the endpoint is read in get(), when it is needed

    def get(self, request):
        if not provider.sso_enabled():
            raise Http404("Single sign-on is not set up")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except provider.ProviderUnavailable as error:
            logger.warning("Single sign-on: the provider's discovery document could not be read: %s", error)
            return _provider_unavailable(request)
        self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID")
        return super().get(request)


@method_decorator(login_not_required, name="dispatch")
class SignInCallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back; the backend (sso/backend.py) finds or makes the user."""

    get_settings = staticmethod(provider.provider_setting)

    @property
    def failure_url(self):
        return reverse("sso-problem")

    def get(self, request):
        if not provider.sso_enabled():
            raise Http404("Single sign-on is not set up")
        try:
            return super().get(request)
        except requests.HTTPError as error:
            if error.response is not None and 400 <= error.response.status_code < 500:
                # The provider refused the code (used twice, expired, or not its own): the sign-in did not finish.
                logger.info("Single sign-on: the provider refused the sign-in: %s", error)
                return self.login_failure()
            logger.warning("Single sign-on: the provider did not answer as expected: %s", error)
            return _provider_unavailable(request)
        except (requests.RequestException, provider.ProviderUnavailable) as error:
            logger.warning("Single sign-on: the provider did not answer as expected: %s", error)
            return _provider_unavailable(request)

    def login_success(self):
        response = super().login_success()
        if getattr(self.user, "provider_multi_factor", False):
            # The provider asked for more than one factor: the service's own code is not asked for again.
            self.request.session[PROVIDER_MFA_SESSION_KEY] = self.user.pk
        return response


@login_not_required
def sign_in_problem(request):
    """The plain page after a sign-in through the provider that did not finish, or was refused."""
    refused = request.session.pop(SESSION_REFUSED, False)
    return render(request, "sso/problem.html", {"refused": refused}, status=403 if refused else 200)
