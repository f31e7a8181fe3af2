"""Admin of the integration layer: the outbox, webhook subscriptions and their deliveries.

Writes go through ``integration.actions`` (subscriptions, retries, requeues); the outbox,
deliveries and attempts are read-only logs.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.integration import actions
from motcua.integration.models import (
    OutboxMessage,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)
from motcua.kernel.actors import Actor, ActorKind
from motcua.kernel.admin import ReadOnlyAdmin
from motcua.kernel.errors import ApplicationError


def _actor(request: HttpRequest) -> Actor:
    user: Any = request.user
    return Actor(
        kind=ActorKind.OFFICIAL,
        id=str(user.pk),
        display_name=user.get_username(),
        user_id=user.pk,
        is_superuser=user.is_superuser,
    )


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ("id", "topic", "status", "attempts", "available_at", "delivered_at")
    list_filter = ("status", "topic")
    search_fields = ("aggregate_id", "message_id")
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    ordering = ("-id",)
    actions = ["requeue"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Gửi lại các thông điệp đã dừng thử lại"))
    def requeue(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        try:
            count = actions.do_requeue_outbox_messages(queryset, actor=_actor(request))
        except ApplicationError as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            self.message_user(request, _("Đã đưa %(n)s thông điệp vào hàng đợi.") % {"n": count})


class WebhookSubscriptionForm(forms.ModelForm):
    class Meta:
        model = WebhookSubscription
        fields = ["name", "url", "topics", "secret", "is_active"]
        widgets = {"topics": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["secret"].initial = actions.new_webhook_secret()
        self.fields["secret"].help_text = _(
            "Bên nhận dùng khóa này để kiểm tra chữ ký HMAC-SHA256 (xem docs/webhooks.md)."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The action validates; run it here dry so that errors show on the form.
        try:
            actions._clean(
                data.get("name", ""), data.get("url", ""), data.get("topics", ""),
                data.get("secret", ""),
            )  # fmt: skip
        except ApplicationError as error:
            for field, errors in error.field_errors.items():
                for message in errors:
                    self.add_error(field if field in self.fields else None, str(message))
        return data


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    fields = ("attempted_at", "status_code", "duration_ms", "error")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    form = WebhookSubscriptionForm
    list_display = ("name", "url", "is_active", "updated_at")
    list_filter = ("is_active",)
    search_fields = ("name", "url")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # deactivate instead: the deliveries keep their history

    def save_model(
        self, request: HttpRequest, obj: WebhookSubscription, form: Any, change: bool
    ) -> None:
        data = form.cleaned_data
        values = {k: data[k] for k in ("name", "url", "topics", "secret", "is_active")}
        if change:
            current = WebhookSubscription.objects.get(pk=obj.pk)
            saved = actions.do_update_webhook_subscription(current, actor=_actor(request), **values)
        else:
            saved = actions.do_create_webhook_subscription(actor=_actor(request), **values)
        obj.pk = saved.pk
        obj.refresh_from_db()


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "subscription",
        "topic",
        "status",
        "attempts",
        "last_status_code",
        "next_attempt_at",
        "delivered_at",
    )
    list_filter = ("status", "subscription")
    search_fields = ("message__message_id", "message__topic")
    list_select_related = ("subscription", "message")
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]
    inlines = [WebhookAttemptInline]
    ordering = ("-id",)
    actions = ["retry"]

    @admin.display(description=_("chủ đề"))
    def topic(self, obj: WebhookDelivery) -> str:
        return obj.message.topic

    @admin.action(description=_("Gửi lại ngay"))
    def retry(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        actor = _actor(request)
        for delivery in queryset.select_related("message"):
            actions.do_retry_webhook_delivery(delivery, actor=actor)
        self.message_user(request, _("Đã đặt lịch gửi lại."))
