"""Trigram indexes for the coordinators' name search (issue 15).

The participants list and the binômes list look people up with ``icontains`` on first name, last
name and e-mail, which PostgreSQL runs as ``UPPER(col) LIKE UPPER('%word%')``: without an index it
read every user of the association (a search at 50,000 participants cost 2.6x the same search at
1,000, 150 ms of PostgreSQL per request). A GIN trigram index on each of the three expressions lets
it combine them (BitmapOr) and read only the people whose name contains the word: 3 ms at 50,000.
Words shorter than three letters cannot use a trigram index and are read as before.

PostgreSQL only (``pg_trgm`` is a contrib extension marked trusted since PostgreSQL 13: a database
owner may create it without being superuser); nothing on SQLite (the demo).
"""

from django.db import migrations

COLUMNS = ("first_name", "last_name", "email")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS accounts_user_{column}_trgm ON accounts_user USING gin (UPPER({column}) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS accounts_user_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_user_language")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
