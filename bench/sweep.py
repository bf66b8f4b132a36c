"""bench_scale's reminder sweep part: the set-based sweep's catch-up run (nothing ever sent) and
its idle rerun, next to one raw `INSERT … SELECT` writing the very same reminders, notices and
events (compared by a digest of the rows), all inside a transaction rolled back."""

from __future__ import annotations

import datetime
import time

from django.db import connection, transaction
from django.utils import timezone

from liaison.models import User
from suggestions.models import Suggestion


class SweepBench:
    """Mixed into bench_scale's command (it provides `record` and `stdout`)."""

    def bench_sweep(self) -> None:
        from suggestions.services.reminders import reminders_sweep

        today = timezone.localdate()
        app, notes, written = [], [], {}
        with transaction.atomic():
            before = self.sweep_marks()
            for label in ("first", "rerun"):
                started = time.perf_counter()
                result = reminders_sweep(today=today)
                app.append(time.perf_counter() - started)
                notes.append(f"{label}: {len(result.reminders):,} reminders, {result.notifications:,} notices, "
                             f"{result.skipped:,} already sent; load {self.load()}")
                if label == "first":
                    written["app"] = self.sweep_written(before)
            transaction.set_rollback(True)  # measured, not kept
        raw = []
        with transaction.atomic():
            before = self.sweep_marks()
            raw.append(self.raw_sweep(today))
            written["raw"] = self.sweep_written(before)
            transaction.set_rollback(True)  # measured, not kept
        same = "the same rows" if written["app"] == written["raw"] else "DIFFERENT rows"
        self.stdout.write(f"sweep wrote (reminders, notices, events, fingerprint): app {written['app']}, "
                          f"raw {written['raw']}: {same}")
        self.record("reminder sweep, first run (catch-up)", app[:1], raw, f"{notes[0]}; raw SQL wrote {same}")
        self.record("reminder sweep, rerun (nothing new)", app[1:], [], notes[1])

    @staticmethod
    def load() -> str:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])

    def sweep_marks(self) -> dict:
        from suggestions.models import Event, Notification, Reminder

        with connection.cursor() as cursor:
            marks = {}
            for model in (Reminder, Notification, Event):
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {model._meta.db_table}")
                marks[model] = cursor.fetchone()[0]
        return marks

    def sweep_written(self, marks: dict) -> tuple:
        """What a sweep wrote after `marks`: counts, and one digest of every row's content
        (ids and timestamps aside), so the app's rows and the raw SQL's can be compared."""
        from suggestions.models import Event, Notification, Reminder

        rows = {
            Reminder: "assignment_id || '|' || kind || '|' || deadline",
            Notification: "recipient_id || '|' || kind || '|' || suggestion_id || '|' || assignment_id || '|' "
                          "|| title || '|' || body",
            Event: "suggestion_id || '|' || assignment_id || '|' || COALESCE(actor_id::text, '-') || '|' || actor_name "
                   "|| '|' || action || '|' || from_status || '|' || to_status || '|' || note || '|' || data::text",
        }
        counts, digest = [], []
        with connection.cursor() as cursor:
            for model, row in rows.items():
                cursor.execute(
                    f"SELECT count(*), md5(COALESCE(string_agg(r, E'\\n' ORDER BY r), '')) FROM "
                    f"(SELECT {row} AS r FROM {model._meta.db_table} WHERE id > %s) t", [marks[model]],
                )
                count, md5 = cursor.fetchone()
                counts.append(count)
                digest.append(md5[:8])
        return (*counts, "-".join(digest))

    def raw_sweep(self, today: datetime.date) -> float:
        """The same reminders, notices (unit officers, the nearest staff, on escalation the
        supervising or nearest leaders; the same titles and bodies) and events (催办 as `urge`),
        in one INSERT … SELECT: the floor the sweep is measured against."""
        from django.utils.translation import gettext

        from liaison.regions import lineage
        from suggestions.calendar import WorkCalendar
        from suggestions.conf import reminder_offsets
        from suggestions.models import (
            LIVE_SUGGESTION_STATUSES,
            OPEN_ASSIGNMENT_STATUSES,
            Assignment,
            AssignmentRole,
            Event,
            Notification,
            NotificationKind,
            Reminder,
            Unit,
        )
        from suggestions.services.reminders import reminder_kind

        _ = gettext
        calendar = WorkCalendar()
        offsets = reminder_offsets()
        horizon = calendar.add_working_days(today, offsets[0] if offsets else 0)
        deadlines = list(
            Assignment.objects.filter(deadline__lte=horizon, status__in=OPEN_ASSIGNMENT_STATUSES)
            .order_by().values_list("deadline", flat=True).distinct()
        )
        kinds = []
        for deadline in deadlines:
            kind = reminder_kind(deadline, today, calendar)
            if kind:
                days = calendar.working_days_between(*((today, deadline) if kind.startswith("due_") else (deadline, today)))
                kinds.append((deadline, kind, days))
        if not kinds:
            return 0.0
        # The notices' wording, the service's own templates with the per-kind parts filled in here.
        tier = str(NotificationKind.LONG_OVERDUE.label)
        texts = {
            "due": (_("即将到期（剩 %(days)s 个工作日）：%(title)s"), _("%(unit)s %(role)s的 %(link)s 将于 %(deadline)s 到期，请抓紧办理。")),
            "overdue": (_("催办（已超期）：%(title)s"),
                        _("%(unit)s %(role)s的 %(link)s 已于 %(deadline)s 到期，超期 %(late)s 个工作日，现予催办，请抓紧办理并答复。")),
            "long_overdue": (_("%(tier)s，提请领导督办：%(title)s").replace("%(tier)s", tier),
                             _("%(unit)s %(role)s的 %(link)s 已于 %(deadline)s 到期，超期 %(late)s 个工作日，请督促办理。")),
        }
        params = {
            "open": list(OPEN_ASSIGNMENT_STATUSES), "live": list(LIVE_SUGGESTION_STATUSES), "horizon": horizon,
            "lead": str(AssignmentRole.LEAD.label), "co": str(AssignmentRole.CO.label),
            "deadlines": [d for d, _k, _n in kinds], "kinds": [k for _d, k, _n in kinds], "days": [n for _d, _k, n in kinds],
            "notice_kinds": [], "titles": [], "bodies": [],
        }
        for _d, kind, _n in kinds:
            notice_kind = "due" if kind.startswith("due_") else kind
            params["notice_kinds"].append(notice_kind)
            params["titles"].append(texts[notice_kind][0])
            params["bodies"].append(texts[notice_kind][1])
        a, s, r = Assignment._meta.db_table, Suggestion._meta.db_table, Reminder._meta.db_table
        n, e, u, un = Notification._meta.db_table, Event._meta.db_table, User._meta.db_table, Unit._meta.db_table
        officers = Unit.officers.through._meta.db_table
        lengths = "ARRAY[" + ", ".join(str(len(c)) for c in lineage("1" * 12)) + "]"
        sql = f"""
        WITH k(deadline, kind, n, notice_kind, title, body) AS (
            SELECT * FROM unnest(%(deadlines)s::date[], %(kinds)s::text[], %(days)s::int[], %(notice_kinds)s::text[],
                                 %(titles)s::text[], %(bodies)s::text[])
        ),
        r AS (
            INSERT INTO {r} (assignment_id, kind, deadline, created_at)
            SELECT a.id, k.kind, a.deadline, now() FROM {a} a JOIN {s} s ON s.id = a.suggestion_id
            JOIN k ON k.deadline = a.deadline
            WHERE a.status = ANY(%(open)s) AND s.status = ANY(%(live)s) AND a.deadline <= %(horizon)s
            ON CONFLICT DO NOTHING RETURNING assignment_id, kind
        ),
        ra AS (
            SELECT r.kind, k.notice_kind, a.id AS assignment_id, a.unit_id, a.deadline, s.id AS suggestion_id, s.status,
                   COALESCE(s.escalated_to_id, s.region_id) AS region, s.supervision_leader_id AS leader,
                   replace(replace(replace(replace(replace(replace(k.body,
                       '%%(unit)s', un.name), '%%(role)s', CASE a.role WHEN 'lead' THEN %(lead)s ELSE %(co)s END),
                       '%%(deadline)s', a.deadline::text), '%%(late)s', k.n::text), '%%(days)s', k.n::text),
                       '%%(link)s', s.code || '《' || s.title || '》') AS body,
                   left(replace(replace(k.title, '%%(days)s', k.n::text), '%%(title)s', left(s.title, 80)), 200) AS title
            FROM r JOIN {a} a ON a.id = r.assignment_id JOIN {s} s ON s.id = a.suggestion_id
            JOIN {un} un ON un.id = a.unit_id JOIN k ON k.deadline = a.deadline
        ),
        nearest AS (  -- per handling region and role, the active users at the deepest level that has any
            SELECT region, role, id FROM (
                SELECT g.region, u.role, u.id, rank() OVER (PARTITION BY g.region, u.role ORDER BY length(u.region_id) DESC) AS rk
                FROM (SELECT DISTINCT region FROM ra) g
                JOIN {u} u ON u.region_id = ANY(ARRAY(SELECT left(g.region, l) FROM unnest({lengths}) l
                                                       WHERE l <= length(g.region)))
                WHERE u.role IN ('staff', 'leader') AND u.is_active
            ) t WHERE rk = 1
        ),
        told AS (
            SELECT ra.assignment_id, o.user_id FROM ra JOIN {officers} o ON o.unit_id = ra.unit_id
            JOIN {u} u ON u.id = o.user_id AND u.is_active
            UNION
            SELECT ra.assignment_id, nr.id FROM ra JOIN nearest nr ON nr.region = ra.region AND nr.role = 'staff'
            UNION
            SELECT ra.assignment_id, COALESCE(sl.id, nr.id) FROM ra
            LEFT JOIN {u} sl ON sl.id = ra.leader AND sl.is_active
            LEFT JOIN nearest nr ON sl.id IS NULL AND nr.region = ra.region AND nr.role = 'leader'
            WHERE ra.kind = 'long_overdue' AND COALESCE(sl.id, nr.id) IS NOT NULL
        ),
        nt AS (
            INSERT INTO {n} (recipient_id, kind, suggestion_id, assignment_id, title, body, created_at)
            SELECT told.user_id, ra.notice_kind, ra.suggestion_id, ra.assignment_id, ra.title, ra.body, now()
            FROM told JOIN ra ON ra.assignment_id = told.assignment_id RETURNING 1
        ),
        ev AS (
            INSERT INTO {e} (suggestion_id, assignment_id, actor_name, action, from_status, to_status, note, data, created_at)
            SELECT ra.suggestion_id, ra.assignment_id, '', CASE ra.kind WHEN 'overdue' THEN 'urge' ELSE 'remind' END,
                   ra.status, ra.status, '',
                   jsonb_build_object('kind', ra.kind, 'deadline', ra.deadline::text, 'automatic', true), now()
            FROM ra RETURNING 1
        )
        SELECT (SELECT count(*) FROM r), (SELECT count(*) FROM nt), (SELECT count(*) FROM ev)
        """
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            reminders, notices, _events = cursor.fetchone()
        elapsed = time.perf_counter() - started
        self.stdout.write(f"raw sweep: {reminders:,} reminders, {notices:,} notices; load {self.load()}")
        return elapsed

