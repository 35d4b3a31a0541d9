"""URLs of earlyhelp.messaging."""

urlpatterns: list = []
