"""The desk's own records: response templates (话术模板) and what handlers said of a suggestion."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kesu.complaints.models import Complaint, ServiceType, Severity
from kesu.core.messages import localized


class TemplateLanguage(models.TextChoices):
    ZH_HANS = "zh-hans", "中文"
    EN = "en", "English"


class ResponseTemplate(models.Model):
    """A reply text for a severity × service type (docs/architecture.md, "Handling tools"), with {variables} the desk fills.

    An empty severity or service type matches any. Kept by the management layer (admin); the desk
    counts each reply sent with it.
    """

    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    language = models.CharField(
        _("language"), max_length=16, choices=TemplateLanguage.choices, default=TemplateLanguage.ZH_HANS
    )
    severity = models.CharField(
        _("severity"), max_length=16, choices=Severity.choices, blank=True, help_text="empty: any severity"
    )
    service_type = models.CharField(
        _("service type"), max_length=16, choices=ServiceType.choices, blank=True, help_text="empty: any type"
    )
    body = models.TextField(
        _("text"),
        help_text="variables: {customer_name} {number} {subject} {category} {due_date} {handler_name} "
        "{order_number} {product} {amount_claimed} {today}",
    )
    active = models.BooleanField(_("active"), default=True)
    use_count = models.PositiveIntegerField(_("times used"), default=0)
    updated_at = models.DateTimeField(_("updated at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("response template")
        verbose_name_plural = _("response templates")
        ordering = ["language", "severity", "service_type", "name", "id"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the reader's language."""
        return localized(self.name, self.name_en)


class SuggestionKind(models.TextChoices):
    ARTICLE = "article", _("Solution article")
    SIMILAR = "similar", _("Similar resolved complaint")


class Verdict(models.TextChoices):
    USED = "used", _("Used")
    NOT_HELPFUL = "not_helpful", _("Not helpful")


class SuggestionFeedback(models.Model):
    """A handler used a suggestion on a complaint, or found it not helpful."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    kind = models.CharField(max_length=16, choices=SuggestionKind.choices)
    article = models.ForeignKey(
        "knowledge.Article", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    similar = models.ForeignKey(Complaint, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    verdict = models.CharField(max_length=16, choices=Verdict.choices)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("suggestion feedback")
        verbose_name_plural = _("suggestion feedback")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["complaint", "kind"], name="feedback_complaint_kind")]
        # one verdict per person, complaint and suggestion, even when two clicks race
        constraints = [
            models.UniqueConstraint(fields=["complaint", "by", "article", "verdict"], name="feedback_article_once",
                                    condition=models.Q(article__isnull=False)),
            models.UniqueConstraint(fields=["complaint", "by", "similar", "verdict"], name="feedback_similar_once",
                                    condition=models.Q(similar__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind} {self.verdict}"
