from django.urls import path

from . import views

urlpatterns = [
    path("files/<uuid:file_id>/", views.background_file_page, name="background-file"),
    path("files/<uuid:file_id>/download", views.background_file_download, name="background-file-download"),
]
