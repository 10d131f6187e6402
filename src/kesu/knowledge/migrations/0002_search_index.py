"""The full-text index of articles: an FTS5 table on SQLite, a GIN index on the tsvector on PostgreSQL."""

from django.db import migrations

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE knowledge_article_fts USING fts5(title, body, tokenize='unicode61')"
)
SQLITE_DROP = "DROP TABLE IF EXISTS knowledge_article_fts"


def _gin_index():
    from kesu.knowledge.search import postgres_gin_index

    return postgres_gin_index()


def index_create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)
    elif vendor == "postgresql":
        schema_editor.add_index(apps.get_model("knowledge", "Article"), _gin_index())


def index_drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)
    elif vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("knowledge", "Article"), _gin_index())


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [migrations.RunPython(index_create, index_drop)]
