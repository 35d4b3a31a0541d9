"""URLs of earlyhelp.directory: the published Open Referral UK endpoints (docs/directory.md)."""

from django.urls import path

from . import views

urlpatterns = [
    path("directory/oruk/", views.root, name="directory-oruk-root"),
    path("directory/oruk/services", views.services, name="directory-oruk-services"),
    path("directory/oruk/services/<str:oruk_id>", views.service, name="directory-oruk-service"),
    path("directory/oruk/service_at_locations", views.service_at_locations, name="directory-oruk-service-at-locations"),
    path("directory/oruk/taxonomies", views.taxonomies, name="directory-oruk-taxonomies"),
    path("directory/oruk/taxonomy_terms", views.taxonomy_terms, name="directory-oruk-taxonomy-terms"),
]
