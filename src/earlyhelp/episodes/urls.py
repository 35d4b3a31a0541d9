from django.urls import include, path

urlpatterns = [
    path("", include("earlyhelp.episodes.urls_core")),
    path("", include("earlyhelp.episodes.urls_assessment")),
    path("", include("earlyhelp.episodes.urls_plan")),
    path("", include("earlyhelp.episodes.urls_stepping")),
    path("", include("earlyhelp.episodes.urls_allocation")),
]
