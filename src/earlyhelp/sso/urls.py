from django.urls import path

from . import views

urlpatterns = [
    path("sso/start/", views.SignInStartView.as_view(), name="sso-start"),
    path("sso/callback/", views.SignInCallbackView.as_view(), name="sso-callback"),
    path("sso/problem/", views.sign_in_problem, name="sso-problem"),
]
