from django.urls import include, path

from earlyhelp.web.admin import admin_site

urlpatterns = [
    path("admin/", admin_site.urls),
    path("", include("earlyhelp.accounts.urls")),
    path("", include("earlyhelp.audit.urls")),
    path("", include("earlyhelp.people.urls")),
    path("", include("earlyhelp.frontdoor.urls")),
    path("", include("earlyhelp.episodes.urls")),
    path("", include("earlyhelp.sharing.urls")),
    path("", include("earlyhelp.recording.urls")),
    path("", include("earlyhelp.alerts.urls")),
    path("", include("earlyhelp.documents.urls")),
    path("", include("earlyhelp.frontdoor.harm_urls")),
    path("", include("earlyhelp.reporting.urls")),
    path("", include("earlyhelp.background.urls")),
    path("", include("earlyhelp.sso.urls")),
    path("", include("earlyhelp.messaging.urls")),
    path("api/v1/", include("earlyhelp.api.urls")),
    path("", include("earlyhelp.api.page_urls")),
    path("", include("earlyhelp.directory.urls")),
    path("", include("earlyhelp.web.urls")),
]

handler400 = "earlyhelp.web.views.bad_request"
handler403 = "earlyhelp.web.views.permission_denied"
handler404 = "earlyhelp.web.views.page_not_found"
handler500 = "earlyhelp.web.views.server_error"
