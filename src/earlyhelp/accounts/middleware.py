from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

# Pages a signed-in user may reach before the second factor: signing out and the factor itself.
TWO_FACTOR_EXEMPT_URL_NAMES = frozenset(
    {"sign-out", "signed-out", "two-factor-setup", "two-factor-verify"}
)


class RequireTwoFactorMiddleware:
    """Roles that can see a family must pass a TOTP check after their password."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.EARLYHELP_REQUIRE_TWO_FACTOR:
            return None
        user = request.user
        if not user.is_authenticated or not user.can_see_families or user.is_verified():
            return None
        if not getattr(view_func, "login_required", True):
            return None  # public pages
        match = request.resolver_match
        if match and match.url_name in TWO_FACTOR_EXEMPT_URL_NAMES:
            return None
        return redirect_to_login(request.get_full_path(), reverse("two-factor-verify"))
