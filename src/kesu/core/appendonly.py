"""Append-only tables: the complaint timeline, the compensation audit. Rows are written once, never
updated or deleted — not by ``save()``/``delete()``, nor by the queryset's bulk writes."""

from __future__ import annotations

from django.db import models


class AppendOnlyError(RuntimeError):
    pass


def _refuse(model) -> AppendOnlyError:
    # a programming error, for the log: the model's class name, not its (translated) verbose name
    return AppendOnlyError(f"{model._meta.object_name} rows are append-only")


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk writes would go around ``save()``/``delete()``; refuse them too."""

    def update(self, **kwargs):
        raise _refuse(self.model)

    def delete(self):
        raise _refuse(self.model)

    def bulk_update(self, objs, fields, batch_size=None):
        raise _refuse(self.model)


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise _refuse(type(self))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise _refuse(type(self))
