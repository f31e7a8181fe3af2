"""Models that exist only in tests: a tiny lifecycle for the workflow engine, and a sink for outbox consumers."""

from django.db import models


class Widget(models.Model):
    state = models.CharField(max_length=20, default="draft")
    owner_agency_id = models.IntegerField(default=1)
    note = models.CharField(max_length=100, blank=True)

    class Meta:
        app_label = "testapp"

    def __str__(self) -> str:
        return f"widget {self.pk} ({self.state})"


class ConsumedEffect(models.Model):
    message_id = models.UUIDField(unique=True)
    topic = models.CharField(max_length=120)

    class Meta:
        app_label = "testapp"

    def __str__(self) -> str:
        return f"{self.topic} {self.message_id}"
