"""Online payment pages, included at ``/thanh-toan/``."""

from django.urls import path

from motcua.payments import views

app_name = "payments"
urlpatterns = [
    path("", views.find_order, name="find"),
    path("ket-qua/", views.payment_return, name="return"),
    path("thong-bao/", views.platform_notification, name="notify"),
    path("<uuid:public_id>/", views.order_detail, name="order"),
    path("<uuid:public_id>/thanh-toan/", views.start_payment, name="start"),
    path("<uuid:public_id>/bien-lai/", views.download_receipt, name="receipt"),
]
