"""URLs of earlyhelp.sso."""

urlpatterns: list = []
