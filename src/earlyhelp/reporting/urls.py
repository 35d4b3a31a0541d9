from django.urls import path

from . import views

urlpatterns = [
    path("dashboard/", views.dashboard_page, name="dashboard"),
    path("dashboard/list/", views.dashboard_list, name="dashboard-list"),
    path("dashboard/figure.csv", views.dashboard_csv, name="dashboard-csv"),
    path("team-work/", views.team_work, name="team-work"),
    path("reports/", views.reports, name="reports"),
    path("reports/supporting-families/", views.supporting_families, name="supporting-families"),
    path("reports/supporting-families.csv", views.supporting_families_csv, name="supporting-families-csv"),
    path("families/<int:family_id>/supporting-families/", views.family_outcomes, name="supporting-families-family"),
    path(
        "families/<int:family_id>/supporting-families/<slug:outcome>/",
        views.family_outcome_need, name="supporting-families-need",
    ),
]
