from django.urls import path

from . import views

urlpatterns = [
    path("families/<int:family_id>/alerts/", views.family_alerts, name="family-alerts"),
    path("families/<int:family_id>/alerts/new/", views.alert_create, name="alert-create"),
    path("alerts/<int:alert_id>/end/", views.alert_end, name="alert-end"),
]
