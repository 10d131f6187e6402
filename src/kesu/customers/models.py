"""One customer, many handles: phone numbers, e-mail addresses and external ids across channels."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Tier(models.TextChoices):
    VIP = "vip", _("VIP")
    REGULAR = "regular", _("Regular")


class IdentityKind(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    EXTERNAL = "external", _("External id")


class Customer(models.Model):
    name = models.CharField(_("name"), max_length=128)
    tier = models.CharField(_("tier"), max_length=16, choices=Tier.choices, default=Tier.REGULAR)
    region = models.CharField(_("region"), max_length=64, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"), null=True, blank=True, help_text="optional; the analytics pages group customers by age"
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["id"]
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name


class CustomerIdentity(models.Model):
    """A handle by which a customer reaches us. ``value`` is stored normalised (see identities.py)."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="identities")
    kind = models.CharField(_("kind"), max_length=16, choices=IdentityKind.choices)
    value = models.CharField(_("value"), max_length=254)

    class Meta:
        verbose_name = _("customer identity")
        verbose_name_plural = _("customer identities")
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="identity_unique_handle")]
        ordering = ["kind", "value"]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"
