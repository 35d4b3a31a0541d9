from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from .two_factor import PROVIDER_MFA_SESSION_KEY, second_factor_outstanding

# Pages a signed-in user may reach before the second factor: signing out and the factor itself.
# Django admin is not among them: it holds no child's record, but it manages who may see one.
TWO_FACTOR_EXEMPT_URL_NAMES = frozenset(
    {"sign-out", "signed-out", "two-factor-setup", "two-factor-verify"}
)


class RequireTwoFactorMiddleware:
    """Every role, and every superuser, passes a TOTP check after their password (User.needs_second_factor)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        by_provider = request.session.get(PROVIDER_MFA_SESSION_KEY)
        if by_provider is not None and by_provider == request.user.pk:
            request.user.second_factor_by_provider = True
        if not second_factor_outstanding(request.user):
            return None
        if not getattr(view_func, "login_required", True):
            return None  # public pages
        match = request.resolver_match
        if match and match.url_name in TWO_FACTOR_EXEMPT_URL_NAMES:
            return None
        return redirect_to_login(request.get_full_path(), reverse("two-factor-verify"))
