"""Similar items (并单) on PostgreSQL: one GIN probe finds area AND status AND terms.

The index of 0010 held only the terms, so the planner went by the region index and read every
row of the area (~800 scattered heap pages at 1,000,000 items). This index's document adds, to
the stored terms, tokens derived from the row's own columns: the region code's prefixes
(`r14`, `r1404`, `r140403`, `r140403001`, `r140403001001`), the status (`sclosed`) and the
30-day period of `closed_at` (`c683`). It is an expression over columns, so every write path
(save, queryset.update, bulk_create, COPY) keeps it in step with nothing to maintain.
`suggestions/similar/search.py` builds the matching query; its exact filters stay, the tokens
only narrow what the index hands over. SQLite has no index and scans the area as before.
"""

from django.db import migrations

GIN_INDEX = "sugg_similar_document_gin"
OLD_GIN_INDEX = "sugg_similar_terms_gin"

# extract(epoch ...) is STABLE only because other fields depend on the time zone; the epoch
# does not, so the wrapper may say IMMUTABLE (an index expression must be).
CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION similar_document(terms text, region varchar, status varchar, closed_at timestamptz)
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT to_tsvector('simple'::regconfig,
    coalesce(terms, '')
    || ' r' || left(region, 2) || ' r' || left(region, 4) || ' r' || left(region, 6)
    || ' r' || left(region, 9) || ' r' || region
    || ' s' || status
    || coalesce(' c' || floor(extract(epoch FROM closed_at) / 2592000)::bigint, ''))
$$
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_FUNCTION)
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {GIN_INDEX} ON suggestions_suggestion "
        "USING gin (similar_document(similar_terms, region_id, status, closed_at))"
    )
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_GIN_INDEX}")
    schema_editor.execute("ANALYZE suggestions_suggestion")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {OLD_GIN_INDEX} ON suggestions_suggestion "
        "USING gin (to_tsvector('simple'::regconfig, similar_terms))"
    )
    schema_editor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")
    schema_editor.execute("DROP FUNCTION IF EXISTS similar_document(text, varchar, varchar, timestamptz)")


class Migration(migrations.Migration):

    dependencies = [
        ("suggestions", "0010_issue18_similar"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
