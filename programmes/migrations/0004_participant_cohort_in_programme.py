"""Issue 12: « a participant's cohort is one of their programme's » held by the database.

Django cannot say it: a foreign key to (programme, cohort) would need a composite key, and a CHECK
cannot read another table. So a trigger, on PostgreSQL (production, CI) and SQLite (the local
demo) alike: a participant written with a cohort of another programme is refused
(IntegrityError), and so is moving a cohort that has participants to another programme. The
services never do either (``participants.services`` gives a sign-up ``cohort_current`` of its
own programme); this is for any other path (a bulk import, a script, the shell).

SQLite note: SQLite rebuilds a table to alter one of its columns, which drops its triggers; a
later migration that alters ``participants_participant`` on SQLite must create them again (on
PostgreSQL they stay). Tested on PostgreSQL: tests/programmes/test_cohort_in_programme.py.
"""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION participant_cohort_in_programme() RETURNS trigger AS $$
BEGIN
    IF NEW.cohort_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM programmes_cohort c WHERE c.id = NEW.cohort_id AND c.programme_id = NEW.programme_id
    ) THEN
        RAISE EXCEPTION 'participant_cohort_in_programme: the cohort is not of the participant''s programme'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER participant_cohort_in_programme
    BEFORE INSERT OR UPDATE OF cohort_id, programme_id ON participants_participant
    FOR EACH ROW EXECUTE FUNCTION participant_cohort_in_programme();

CREATE OR REPLACE FUNCTION cohort_keeps_its_programme() RETURNS trigger AS $$
BEGIN
    IF NEW.programme_id <> OLD.programme_id AND EXISTS (
        SELECT 1 FROM participants_participant p WHERE p.cohort_id = NEW.id
    ) THEN
        RAISE EXCEPTION 'cohort_keeps_its_programme: the cohort has participants' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER cohort_keeps_its_programme
    BEFORE UPDATE OF programme_id ON programmes_cohort
    FOR EACH ROW EXECUTE FUNCTION cohort_keeps_its_programme();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS participant_cohort_in_programme ON participants_participant;
DROP FUNCTION IF EXISTS participant_cohort_in_programme();
DROP TRIGGER IF EXISTS cohort_keeps_its_programme ON programmes_cohort;
DROP FUNCTION IF EXISTS cohort_keeps_its_programme();
"""

_SQLITE_WRONG_COHORT = ("NEW.cohort_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM programmes_cohort c "
                        "WHERE c.id = NEW.cohort_id AND c.programme_id = NEW.programme_id)")
SQLITE_FORWARD = [
    f"""CREATE TRIGGER participant_cohort_in_programme_insert BEFORE INSERT ON participants_participant
        WHEN {_SQLITE_WRONG_COHORT}
        BEGIN SELECT RAISE(ABORT, 'participant_cohort_in_programme'); END""",
    f"""CREATE TRIGGER participant_cohort_in_programme_update BEFORE UPDATE OF cohort_id, programme_id ON participants_participant
        WHEN {_SQLITE_WRONG_COHORT}
        BEGIN SELECT RAISE(ABORT, 'participant_cohort_in_programme'); END""",
    """CREATE TRIGGER cohort_keeps_its_programme BEFORE UPDATE OF programme_id ON programmes_cohort
        WHEN NEW.programme_id <> OLD.programme_id AND EXISTS (SELECT 1 FROM participants_participant p WHERE p.cohort_id = NEW.id)
        BEGIN SELECT RAISE(ABORT, 'cohort_keeps_its_programme'); END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS participant_cohort_in_programme_insert",
    "DROP TRIGGER IF EXISTS participant_cohort_in_programme_update",
    "DROP TRIGGER IF EXISTS cohort_keeps_its_programme",
]


def _run(schema_editor, postgresql: str, sqlite: list[str]) -> None:  # noqa: ANN001
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(postgresql, params=None)  # no parameters: the SQL is sent as it is
    elif vendor == "sqlite":
        for statement in sqlite:
            schema_editor.execute(statement, params=None)
    # another database: the services' rule only (no engine but these two is supported)


def forward(apps, schema_editor):  # noqa: ANN001, ARG001
    _run(schema_editor, PG_FORWARD, SQLITE_FORWARD)


def backward(apps, schema_editor):  # noqa: ANN001, ARG001
    _run(schema_editor, PG_BACKWARD, SQLITE_BACKWARD)


class Migration(migrations.Migration):

    dependencies = [
        ("participants", "0014_consent_funder_history"),
        ("programmes", "0003_signup_questions"),
    ]

    operations = [migrations.RunPython(forward, backward)]
