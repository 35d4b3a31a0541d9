from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import request_pages, self_referral_pages, views

# The public request's question pages: no one signs in to ask for help for their family.
self_referral_pages_view = login_not_required(self_referral_pages.SelfReferralPages.as_view(url_name="self-referral-step"))

urlpatterns = [
    # Asking for help
    path("requests/new/", request_pages.RequestForSupportPages.as_view(url_name="request-create-step"),
         name="request-create"),
    path("requests/new/<str:step>/", request_pages.RequestForSupportPages.as_view(url_name="request-create-step"),
         name="request-create-step"),
    path("requests/mine/", views.requests_mine, name="requests-mine"),
    path("ask-for-help/", self_referral_pages_view, name="self-referral"),
    path("ask-for-help/sent/", views.self_referral_sent, name="self-referral-sent"),
    path("ask-for-help/privacy/", views.privacy_notice, name="privacy-notice"),
    path("ask-for-help/<str:step>/", self_referral_pages_view, name="self-referral-step"),
    # One request
    path("requests/<int:request_id>/", views.request_detail, name="request-detail"),
    path("requests/<int:request_id>/sent/", views.request_submitted, name="request-submitted"),
    path("requests/<int:request_id>/checklist/", views.request_checklist, name="request-checklist"),
    path("requests/<int:request_id>/level-of-need/", views.request_level, name="request-level"),
    path("level-decisions/<int:decision_id>/disagree/", views.level_disagree, name="level-disagree"),
    path("escalations/<int:escalation_id>/", views.escalation_resolve, name="escalation-resolve"),
    # The front door
    path("front-door/", views.front_door, name="front-door"),
    path("requests/<int:request_id>/triage/", views.request_triage, name="request-triage"),
    path("requests/<int:request_id>/triage/family/", views.request_family_link, name="request-family-link"),
    path("requests/<int:request_id>/triage/new-family/", views.request_family_create, name="request-family-create"),
    path("front-door/meetings/", views.allocation_meetings, name="allocation-meetings"),
    path("front-door/meetings/<int:meeting_id>/", views.allocation_meeting_detail, name="allocation-meeting-detail"),
    path(
        "front-door/meetings/<int:meeting_id>/requests/<int:request_id>/",
        views.allocation_decision_create, name="allocation-decision-create",
    ),
]
