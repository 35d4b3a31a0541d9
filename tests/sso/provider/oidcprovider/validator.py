from oauth2_provider.oauth2_validators import OAuth2Validator


class ClaimsValidator(OAuth2Validator):
    # groups and amr go in the ID token with the openid scope, as Entra ID sends them.
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "groups": "openid", "amr": "openid"}

    def get_additional_claims(self, request):
        user = request.user
        claims = getattr(user, "claims", None)
        return {
            "email": user.email,
            "given_name": user.first_name,
            "family_name": user.last_name,
            "name": f"{user.first_name} {user.last_name}".strip(),
            "groups": list(claims.groups) if claims else [],
            "amr": list(claims.amr) if claims else ["pwd"],
        }
