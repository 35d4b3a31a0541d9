"""Register users (with their groups and amr) and clients, from a JSON document on stdin; again to change them."""

import json
import sys

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand
from oauth2_provider.models import Application

from oidcprovider.models import Claims


class Command(BaseCommand):
    def handle(self, *args, **options):
        document = json.load(sys.stdin)
        for spec in document.get("users", []):
            user, _ = User.objects.get_or_create(username=spec["username"])
            user.email = spec.get("email", user.email)
            user.first_name = spec.get("first_name", user.first_name)
            user.last_name = spec.get("last_name", user.last_name)
            if "password" in spec:
                user.set_password(spec["password"])
            user.save()
            claims, _ = Claims.objects.get_or_create(user=user)
            claims.groups = spec.get("groups", claims.groups)
            claims.amr = spec.get("amr", claims.amr)
            claims.save()
        for spec in document.get("clients", []):
            client = Application.objects.filter(client_id=spec["client_id"]).first() or Application(
                client_id=spec["client_id"], client_secret=spec["client_secret"], name=spec["client_id"],
                client_type=Application.CLIENT_CONFIDENTIAL,
                authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
                algorithm=Application.RS256_ALGORITHM, skip_authorization=True,
            )
            uris = set(client.redirect_uris.split()) | set(spec.get("redirect_uris", []))
            client.redirect_uris = " ".join(sorted(uris))
            logout_uris = set(client.post_logout_redirect_uris.split()) | set(spec.get("post_logout_redirect_uris", []))
            client.post_logout_redirect_uris = " ".join(sorted(logout_uris))
            client.save()
