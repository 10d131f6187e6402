"""One generic record of a configuration change made in the settings area: which kind of setting,
which row, who, when, and the row's fields before and after (``None`` before a creation and after a
deletion). Append-only; each setting's history page reads it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeAction(models.TextChoices):
    CREATED = "created", _("Created")
    CHANGED = "changed", _("Changed")
    DEACTIVATED = "deactivated", _("Deactivated")
    ACTIVATED = "activated", _("Activated")
    DELETED = "deleted", _("Deleted")


class SettingChange(models.Model):
    kind = models.CharField(
        _("kind"), max_length=32, help_text="the settings area's slug, e.g. routing-rules"
    )
    object_id = models.PositiveBigIntegerField()
    name = models.CharField(_("name"), max_length=200, help_text="the row's name at the time")
    action = models.CharField(_("action"), max_length=16, choices=ChangeAction.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("at"))
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("setting change")
        verbose_name_plural = _("setting changes")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["kind", "object_id", "-at"], name="setting_change_target")]

    def __str__(self) -> str:
        return f"{self.kind} {self.name} {self.action} {self.at:%Y-%m-%d %H:%M}"
