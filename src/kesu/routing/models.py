"""Routing configuration (rows the management layer edits, never code), its history, and followers.

A ``RoutingRule`` holds its conditions and actions as validated JSON (see ``rules.py`` for the
shape); every create / change / delete of a rule or a group's routing is kept as a ``RoutingChange``
with who, when, before and after, so the configuration is versioned.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kesu.complaints.models import Complaint
from kesu.core.messages import localized
from kesu.core.models import Group


class RoutingRule(models.Model):
    """One ordered rule: when every condition holds, apply the actions. The first enabled match wins."""

    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0, help_text=_("lower runs first"))
    enabled = models.BooleanField(_("enabled"), default=True)
    conditions = models.JSONField(
        _("conditions"), default=list, blank=True,
        help_text=_('a list of {"field": …, "op": …, "value": …}; all must hold; empty matches every complaint'),
    )
    actions = models.JSONField(
        _("actions"), default=dict,
        help_text=_('{"group": code, "priority": "P1"…"P4", "strategy": …, "followers": [username, …]}'),
    )
    updated_at = models.DateTimeField(_("updated at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")

    def __str__(self) -> str:
        return f"{self.position}. {self.display_name}"

    @property
    def display_name(self) -> str:
        """The name in the reader's language."""
        return localized(self.name, self.name_en)


class Strategy(models.TextChoices):
    ROUND_ROBIN = "round_robin", _("Round robin")
    LEAST_LOAD = "least_load", _("Least load")
    SKILL_MATCH = "skill_match", _("Skill match")
    SENIOR = "senior", _("Senior handlers only")


class GroupRouting(models.Model):
    """How one group hands out its complaints. A group without this row is a queue handled by hand."""

    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="routing")
    strategy = models.CharField(_("strategy"), max_length=16, choices=Strategy.choices, default=Strategy.LEAST_LOAD)
    auto_assign = models.BooleanField(_("assign automatically"), default=True)
    is_default = models.BooleanField(
        _("default group"), default=False,
        help_text=_("complaints no rule places and the intake left without a group go here"),
    )
    last_assigned = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text=_("round-robin cursor: the handler who got the group's last complaint"),
    )
    updated_at = models.DateTimeField(_("updated at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("group routing")
        verbose_name_plural = _("group routing")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=models.Q(is_default=True), name="group_routing_one_default"
            )
        ]

    def __str__(self) -> str:
        return f"{self.group} ({self.get_strategy_display()})"


class ChangeKind(models.TextChoices):
    CREATED = "created", _("Created")
    CHANGED = "changed", _("Changed")
    DELETED = "deleted", _("Deleted")


class RoutingChange(models.Model):
    """One version step of the routing configuration. Append-only."""

    target = models.CharField(max_length=16, choices=[("rule", "rule"), ("group", "group")])
    target_id = models.PositiveBigIntegerField(help_text="the rule's id, or the group's id")
    name = models.CharField(max_length=100, help_text="the rule's name or the group's code at the time")
    kind = models.CharField(max_length=8, choices=ChangeKind.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField()
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("routing change")
        verbose_name_plural = _("routing changes")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target", "target_id", "-at"], name="routing_change_target")]

    def __str__(self) -> str:
        return f"{self.target} {self.name} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class ComplaintFollower(models.Model):
    """Someone kept informed about a complaint (a coordinator in copy, a supervisor of VIPs …)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="followers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_complaints")
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    added_at = models.DateTimeField(_("added at"))

    class Meta:
        verbose_name = _("complaint follower")
        verbose_name_plural = _("complaint followers")
        constraints = [models.UniqueConstraint(fields=["complaint", "user"], name="complaint_follower_unique")]
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return f"{self.user} follows {self.complaint_id}"
