"""PostgreSQL refuses UPDATE and DELETE on the audit trail, whoever asks.

TRUNCATE stays possible for the database owner (test flushes use it); truncation and
rewrites of the newest events are caught by comparing against a head kept outside the
database (``manage.py audit_head`` / ``verify_audit --head``)."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION hrdcase_audit_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'hrdcase_auditevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS hrdcase_audit_append_only ON hrdcase_auditevent;
CREATE TRIGGER hrdcase_audit_append_only
    BEFORE UPDATE OR DELETE ON hrdcase_auditevent
    FOR EACH ROW EXECUTE FUNCTION hrdcase_audit_refuse_change();
"""

DROP = """
DROP TRIGGER IF EXISTS hrdcase_audit_append_only ON hrdcase_auditevent;
DROP FUNCTION IF EXISTS hrdcase_audit_refuse_change();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)  # None: the "%" in the SQL is literal

    return run


class Migration(migrations.Migration):
    dependencies = [("hrdcase", "0001_audit_event")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
