"""liaison.pgstats: the region columns the lists filter on keep a finer histogram."""

import pytest
from django.db import connection


@pytest.mark.parametrize("table", ["suggestions_suggestion", "suggestions_assignment"])
def test_the_region_column_has_a_finer_histogram_after_migrating(db, table):
    if connection.vendor != "postgresql":
        pytest.skip("a statistics target is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstattarget FROM pg_attribute WHERE attrelid = %s::regclass AND attname = 'region_id'", [table]
        )
        assert cursor.fetchone()[0] == 1000
