"""URLs of earlyhelp.directory: the published Open Referral UK endpoints (docs/directory.md)."""

from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("directory/oruk/", views.root, name="oruk_root"),
    path("directory/oruk/services", views.services, name="oruk_services"),
    path("directory/oruk/services/<str:oruk_id>", views.service, name="oruk_service"),
    path("directory/oruk/service_at_locations", views.service_at_locations, name="oruk_service_at_locations"),
    path("directory/oruk/taxonomies", views.taxonomies, name="oruk_taxonomies"),
    path("directory/oruk/taxonomy_terms", views.taxonomy_terms, name="oruk_taxonomy_terms"),
]
