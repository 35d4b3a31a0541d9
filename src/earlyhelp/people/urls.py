from django.urls import path

from . import views

urlpatterns = [
    path("already-known/", views.already_known, name="already-known"),
    path("families/new/", views.family_create, name="family-create"),
    path("families/<int:family_id>/", views.family_detail, name="family-detail"),
    path("families/<int:family_id>/address/", views.family_move, name="family-move"),
    path("families/<int:family_id>/people/new/", views.person_create, name="person-create"),
    path("families/<int:family_id>/relationships/new/", views.relationship_create, name="relationship-create"),
    path("people/merge/", views.person_merge, name="person-merge"),
    path("people/<int:person_id>/", views.person_detail, name="person-detail"),
    path("people/<int:person_id>/change/", views.person_update, name="person-update"),
    path("people/<int:person_id>/involvements/new/", views.involvement_create, name="involvement-create"),
    path("involvements/<int:involvement_id>/end/", views.involvement_end, name="involvement-end"),
]
