from django.urls import path

from . import harm_views

urlpatterns = [
    path("families/<int:family_id>/harm-concern/", harm_views.harm_referral_create, name="harm-referral-create"),
    path("harm-referrals/", harm_views.harm_referral_list, name="harm-referrals"),
    path("harm-referrals/<int:referral_id>/", harm_views.harm_referral_detail, name="harm-referral-detail"),
    path("harm-referrals/<int:referral_id>/sent/", harm_views.harm_referral_raised, name="harm-referral-raised"),
    path("notifications/", harm_views.notification_list, name="notifications"),
    path("notifications/read/", harm_views.notifications_read_all, name="notifications-read-all"),
    path("notifications/<int:notification_id>/", harm_views.notification_open, name="notification-open"),
    path("notifications/<int:notification_id>/read/", harm_views.notification_read, name="notification-read"),
]
