"""URLs of earlyhelp.api."""

urlpatterns: list = []
