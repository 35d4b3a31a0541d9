"""URLs of earlyhelp.directory."""

urlpatterns: list = []
