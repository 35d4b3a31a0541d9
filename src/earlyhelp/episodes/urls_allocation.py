from django.urls import path

from .views import allocation

urlpatterns = [
    path("team-work/allocate/", allocation.episodes_allocate_page, name="episodes-allocate"),
]
