"""Similar items (并单) on PostgreSQL: the area's candidates by one small GIN probe.

The index of 0010 (terms only) was not chosen: the planner went by the region index and read
every row of the area (~800 scattered heap pages per search at 1,000,000 items), and a probe
that also matched the terms walked the long posting lists of common bigrams (小区, 门口) for
every area alike. This index holds, per row, only rare tokens derived from its own columns,
for each prefix P of its region code (2, 4, 6, 9, 12 digits): `oP` while open (submitted …
replied), `pP` while a voter may see it as being handled (accepted … replied), and `cPmN` once
closed, N the 30-day period of `closed_at`. "This township's open or recently closed items" is
then one probe over a few short lists (`o140403001 | c140403001m686 | …`) and only those rows'
heap pages are read; `suggestions/similar/search.py` keeps the exact `closed_at` filter and
filters the terms on those rows. An expression over columns: every write path (save,
queryset.update, bulk_create, COPY) keeps it in step with nothing to maintain. The status
lists must match OPEN_STATUSES and PUBLIC_STATUSES in search.py (tests/suggestions/similar/
test_search.py holds them to it). SQLite has no index and scans the area as before.
"""

from django.db import migrations

GIN_INDEX = "sugg_similar_window_gin"
OLD_GIN_INDEX = "sugg_similar_terms_gin"

# extract(epoch ...) is STABLE only because other fields depend on the time zone; the epoch
# does not, so the function may say IMMUTABLE (an index expression must be).
CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION similar_window(region varchar, status varchar, closed_at timestamptz)
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT to_tsvector('simple'::regconfig, coalesce(string_agg(token, ' '), ''))
  FROM (
    SELECT unnest(ARRAY[
      CASE WHEN status IN ('submitted', 'accepted', 'assigned', 'handling', 'replied') THEN 'o' || p END,
      CASE WHEN status IN ('accepted', 'assigned', 'handling', 'replied') THEN 'p' || p END,
      CASE WHEN status = 'closed' AND closed_at IS NOT NULL
           THEN 'c' || p || 'm' || floor(extract(epoch FROM closed_at) / 2592000)::bigint END
    ]) AS token
    FROM (SELECT DISTINCT left(region, n) AS p FROM unnest(ARRAY[2, 4, 6, 9, 12]) AS n) AS prefixes
  ) AS tokens
$$
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE_FUNCTION)
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {GIN_INDEX} ON suggestions_suggestion "
        "USING gin (similar_window(region_id, status, closed_at))"
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
    schema_editor.execute("DROP FUNCTION IF EXISTS similar_window(varchar, varchar, timestamptz)")


class Migration(migrations.Migration):

    dependencies = [
        ("suggestions", "0010_issue18_similar"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
