"""mozilla-django-oidc's backend, with the endpoints from the provider's discovery document and our user rules."""

from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from . import provider
from .mfa import amr_is_multi_factor
from .services import NoMappedGroup, user_sign_in_from_claims

# The session keys the callback view reads after the backend has answered.
SESSION_REFUSED = "earlyhelp_sso_refused"


class ProviderBackend(OIDCAuthenticationBackend):
    def __init__(self, *args, **kwargs):
        # Django makes every backend for every sign-in, local ones too: read the provider only when it is
        # this backend's turn (authenticate), so a local sign-in never waits on, or fails with, the provider.
        self.UserModel = None

    @staticmethod
    def get_settings(attr, *args):
        return provider.provider_setting(attr, *args)

    def authenticate(self, request, **kwargs):
        if request is None or not provider.sso_enabled() or "code" not in request.GET or "state" not in request.GET:
            return None
        try:
            super().__init__()
        except provider.ProviderUnavailable:
            return None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        if kwargs.get("nonce") is None:
            return payload  # a signed userinfo answer, not the ID token
        # mozilla-django-oidc checks the signature, expiry and nonce; the ID token must also be for us, from them.
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token is for another client")
        if str(payload.get("iss", "")).rstrip("/") != provider.discovery()["issuer"].rstrip("/"):
            raise SuspiciousOperation("The ID token is from another issuer")
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("The userinfo answer is about someone else")  # OIDC Core §5.3.2
        # The ID token's claims win: Entra ID sends groups and amr only there.
        claims = {**userinfo, **payload}
        try:
            user = user_sign_in_from_claims(issuer=payload["iss"], claims=claims)
        except NoMappedGroup:
            self.request.session[SESSION_REFUSED] = True
            return None
        user.provider_multi_factor = amr_is_multi_factor(payload.get("amr"))
        return user

    def get_user(self, user_id):
        from django.contrib.auth import get_user_model

        return get_user_model().objects.filter(pk=user_id).first()
