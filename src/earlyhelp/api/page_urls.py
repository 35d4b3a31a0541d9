"""The API tokens page: a page (signed in, with the second factor), under the user's account."""

from django.urls import path

from . import pages

urlpatterns = [
    path("account/api-tokens/", pages.api_tokens, name="api-tokens"),
    path("account/api-tokens/<int:token_id>/revoke/", pages.api_token_revoke, name="api-token-revoke"),
]
