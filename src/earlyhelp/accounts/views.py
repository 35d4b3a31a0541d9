from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils.decorators import method_decorator

from .forms import SignInForm
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


@login_not_required
def signed_out(request):
    return render(request, "accounts/signed_out.html")
