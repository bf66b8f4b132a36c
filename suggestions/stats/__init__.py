"""统计: the figures a standing committee publishes, counted by the database, the same way every time.

What a period's figures count
-----------------------------
The suggestions *collected* in the period (their `created_at`, as a date in Asia/Shanghai,
between `period_start` and `period_end`), as their rows stand when the figures are computed.
So "2026年收集 7,144 件，反馈 5,880 件（82.3 %）" reads straight off one row. `FIGURES` lists
every figure with its definition; the rates (`StatFiguresMixin`) are derived from them.

What the rows must hold
-----------------------
Only these columns are read, never the event log, so a suggestion written by the historical
import (importing.py) counts exactly like one made through the workflow:

- Suggestion: created_at, region, station, category, kind, status, route, supervision, result,
  rehandle_count, replied_at, closed_at, fed_back_at;
- its active lead Assignment (主办, not returned): unit, created_at (交办), deadline, status,
  replied_at;
- its lead SuggestionDeputy (领衔代表 / 接待代表); its Evaluation ratings;
- Reception (recorded): station, date, visitor_count; Deputy, Mandate, StationMembership.

How it is computed
------------------
One pass stages the cohort into TEMPORARY tables (they live for one database session, so
concurrent runs never meet): a working-day calendar (`StatWorkday`: date → ordinal, so that
"working days between" is a subtraction), each suggestion's best rating (`StatEvaluationFact`),
its row values joined with its lead assignment and lead deputy (`StatStage`), and finally its
0/1 flags and working-day spans (`StatFact`). Every grouping (region levels by code prefix,
station, lead unit, lead deputy, category within each region level) is then one
`GROUP BY` with `SUM`/`COUNT` over that narrow table, inserted straight into `StatSnapshot`
(`INSERT … SELECT`): no suggestion ever passes through Python.

The live figures (the API's summary) of a province cannot restage a million suggestions per
request. The nightly run also rebuilds the ledger (`StatLedger`, ledger.py): one row per
suggestion with its 0/1 flags from the same expressions (`staging.state_flags`), and the dates
and lead-assignment state that the spans and 超期未答复 are counted from when read. A live count
takes the suggestions whose rows changed since the ledger's cutoff through the stages above,
the others from their ledger rows, and adds the two — so it agrees with a snapshot built at
that moment, for any period, at a fixed number of queries.

A snapshot for `date` (built by the nightly task on the following night, or by
`python manage.py build_stats --date`) holds three periods ending that day: the year so far,
the month so far and the last twelve months. Rebuilding a date replaces its rows.

Where each part lives
---------------------
`figures` (what is counted), `periods`, `staging` (the TEMPORARY tables), `groupings` (the
aggregates and GROUP BYs), `build` (the nightly snapshot), `ledger` (the per-suggestion rows the
live figures read), `summary` (the API's live figures),
`read` (the snapshots read back for the dashboard and the workbook), `stations` (receptions and
coverage), `workbook` (Excel), `api`, `views/` and `urls`.
"""
