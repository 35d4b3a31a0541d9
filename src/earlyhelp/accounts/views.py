from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.module_loading import import_string
from django_otp import login as otp_login

from . import two_factor
from .forms import SignInForm, TwoFactorCodeForm
from .selectors import demo_accounts_list


@method_decorator(login_not_required, name="dispatch")
class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if settings.EARLYHELP_DEMO_MODE:
            context["demo_accounts"] = demo_accounts_list()
            context["demo_password"] = settings.EARLYHELP_DEMO_PASSWORD
        return context


class SignOutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]

    def post(self, request, *args, **kwargs):
        # Signed in through the council's provider: signed out there too when it offers that (earlyhelp/sso).
        hook = getattr(settings, "EARLYHELP_PROVIDER_SIGN_OUT", "")
        provider_url = import_string(hook)(request) if hook else None
        response = super().post(request, *args, **kwargs)
        return redirect(provider_url) if provider_url else response


@login_not_required
def signed_out(request):
    return render(request, "accounts/signed_out.html")


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def two_factor_setup(request):
    if request.user.is_verified():
        return redirect(_next_url(request))
    if two_factor.user_has_confirmed_device(request.user):
        return redirect(f"{reverse('two-factor-verify')}?next={_next_url(request)}")
    device = two_factor.totp_device_unconfirmed_get_or_create(user=request.user)
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.totp_device_confirm(device=device, token=form.cleaned_data["code"]):
            otp_login(request, device)
            messages.success(request, "Two-factor authentication is set up. You will be asked for a code each time you sign in.")
            return redirect(_next_url(request))
        form.add_error("code", "That code is not right. Enter the code your app shows now; codes change every 30 seconds")
    return render(request, "accounts/two_factor_setup.html", {
        "form": form,
        "secret": two_factor.totp_secret_for_display(device),
        "qr_code": two_factor.totp_qr_code_data_uri(device),
        "next": _next_url(request),
    })


def two_factor_verify(request):
    if request.user.is_verified():
        return redirect(_next_url(request))
    if not two_factor.user_has_confirmed_device(request.user):
        return redirect(f"{reverse('two-factor-setup')}?next={_next_url(request)}")
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.confirmed_device_matching(user=request.user, token=form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("code", "That code is not right. Enter the code your app shows now; codes change every 30 seconds")
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)})
