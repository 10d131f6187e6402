"""The composer's form: a template (optional) and the text to send."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kesu.desk.models import ResponseTemplate
from kesu.web.forms import DomainForm


class ReplyForm(DomainForm):
    domain_fields = {"to": "text"}  # a reply refused for its address is shown at the text
    template = forms.CharField(label=_("Response template"), required=False, widget=forms.Select())
    text = forms.CharField(
        label=_("Reply to the customer"), required=False,
        widget=forms.Textarea(attrs={"rows": 8, "id": "reply-text"}),
    )

    def templates_offer(self, templates: list[ResponseTemplate]) -> None:
        """Fill the template select from rows in hand (no query of its own)."""
        first = templates[0].language if templates else ""
        self.fields["template"].widget.choices = [("", _("(no template: write freely)"))] + [
            (str(t.pk), t.display_name if t.language == first else f"{t.display_name} · {t.get_language_display()}")
            for t in templates
        ]
