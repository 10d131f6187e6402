"""The article form. It parses and renders; ``article_validate`` decides what is valid."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from kesu.complaints.models import Category
from kesu.core.forms import DomainForm
from kesu.knowledge.models import ArticleStatus

_SEPARATORS = re.compile(r"[,，、;；\n]+")


def split_list(text: str) -> list[str]:
    """``"退款, 快递、 签收"`` → ``["退款", "快递", "签收"]``."""
    return [part.strip() for part in _SEPARATORS.split(text or "") if part.strip()]


def category_choices() -> list[tuple[str, str]]:
    categories = list(Category.objects.filter(is_active=True).select_related("parent"))
    return [("", _("(none)"))] + [
        (c.code, f"{c.parent.name} / {c.name}" if c.parent_id else c.name) for c in categories
    ]


class ArticleForm(DomainForm):
    title = forms.CharField(label=_("Title"), required=False)
    category = forms.CharField(label=_("Category"), required=False, widget=forms.Select())
    status = forms.ChoiceField(label=_("Status"), choices=ArticleStatus.choices, initial=ArticleStatus.PUBLISHED)
    body = forms.CharField(label=_("Body"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    steps = forms.CharField(label=_("Steps"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
                            help_text=_("one step per line, in order"))
    tags = forms.CharField(label=_("Tags"), required=False, help_text=_("separated by commas"))
    products = forms.CharField(label=_("Applicable products"), required=False, help_text=_("separated by commas"))
    public = forms.BooleanField(label=_("May be shown to customers"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].widget.choices = category_choices()

    @classmethod
    def for_article(cls, article) -> ArticleForm:
        return cls(initial={
            "title": article.title, "category": article.category.code if article.category_id else "",
            "status": article.status, "body": article.body, "steps": "\n".join(article.steps),
            "tags": ", ".join(article.tags), "products": ", ".join(article.products), "public": article.public,
        })

    def article_fields(self) -> dict:
        """What ``article_save`` takes, from the posted text."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "title": data.get("title", ""), "category": data.get("category") or None,
            "status": data.get("status") or self.data.get("status", ""), "body": data.get("body", ""),
            "steps": [line.strip() for line in (data.get("steps") or "").splitlines() if line.strip()],
            "tags": split_list(data.get("tags", "")), "products": split_list(data.get("products", "")),
            "public": bool(data.get("public")),
        }


