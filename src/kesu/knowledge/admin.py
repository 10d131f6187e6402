"""Admin for the solution library (management layer and administrators): saves go through article_save,
so the admin validates like the API and every save is a new version."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from kesu.core.admin import ConfigurationEditors
from kesu.core.clock import clock_now
from kesu.core.errors import FieldError
from kesu.knowledge.actions import article_save, article_validate
from kesu.knowledge.models import Article, ArticleVersion

_EDITED = ("title", "body", "steps", "category", "tags", "products", "status", "public")


class ArticleForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = _EDITED

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            article_validate(**{name: data.get(name) for name in _EDITED})
        except FieldError as error:
            for name, message in error.errors:
                self.add_error(name if name in self.fields else None, f"{name}: {message}")
        return data


class ArticleVersionInline(admin.TabularInline):
    model = ArticleVersion
    fields = ("version", "title", "saved_at", "saved_by")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(ConfigurationEditors, admin.ModelAdmin):
    form = ArticleForm
    list_display = ("title", "category", "status", "public", "version", "use_count", "helpful_count",
                    "not_helpful_count", "updated_at")
    list_filter = ("status", "public", "category")
    search_fields = ("title",)
    readonly_fields = ("version", "use_count", "helpful_count", "not_helpful_count", "updated_at", "updated_by")
    inlines = [ArticleVersionInline]

    def save_model(self, request, obj, form, change):
        saved = article_save(article=obj if change else None, by=request.user, now=clock_now(),
                             **{name: form.cleaned_data.get(name) for name in _EDITED})
        obj.pk = saved.pk
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        """The versions are written by article_save; the inline is read-only."""
