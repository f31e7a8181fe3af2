"""Notification pages, included at the site root."""

from django.urls import path

from motcua.notifications import views

app_name = "notifications"
urlpatterns = [
    path("tai-khoan/thong-bao/", views.preferences, name="preferences"),
    path("thong-bao/huy-nhan/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
