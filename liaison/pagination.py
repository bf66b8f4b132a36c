"""Paginating lists: `?page=N&page_size=M`, a count that stays cheap on large lists, and a
keyset `cursor` in `next` so that deep pages do not walk an OFFSET (API.md, Conventions)."""

from __future__ import annotations

import base64
import binascii
import functools
import json

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import EmptyPage, Page, PageNotAnInteger
from django.core.paginator import Paginator as DjangoPaginator
from django.db import connections
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.db.models.query import ModelIterable
from django.db.models.sql.where import WhereNode
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

# Up to this many matching rows the count is exact; above it, an estimate (flagged).
COUNT_CAP = 1000
# Up to this many (estimated) rows a page's ids are sorted rather than read along an index.
SORT_BELOW = 20_000


def planner_rows(queryset) -> int:
    """The PostgreSQL planner's row estimate for `queryset` (EXPLAIN, nothing is run)."""
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def capped_count(queryset, cap: int = COUNT_CAP, *, keys: tuple[str, ...] = ()) -> tuple[int, bool, list | None]:
    """(count, is_estimate, rows): up to `cap` rows, the exact count and the rows' ids (`SELECT
    id … LIMIT cap+1`, which stops reading at cap+1 rows), or with `keys` (field names) tuples
    (id, *keys); above, the planner's estimate on PostgreSQL (never below cap+1), the exact
    count elsewhere, and no rows."""
    bare = queryset.order_by()
    found = list(bare.values_list("pk", *keys, flat=not keys)[: cap + 1])
    if len(found) <= cap:
        return len(found), False, found
    if connections[queryset.db].vendor != "postgresql":
        return bare.count(), False, None
    return max(planner_rows(bare), cap + 1), True, None


# Fields whose values sort in Python exactly as in SQL (no collation, no NaN).
PYTHON_SORTABLE = frozenset({
    "AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField", "SmallIntegerField",
    "PositiveIntegerField", "PositiveBigIntegerField", "PositiveSmallIntegerField", "DateField", "DateTimeField",
})


def python_sortable(queryset) -> list[tuple[str, bool]] | None:
    """`keyset_fields` of `queryset` when each sorts in Python as in SQL: then the page of a
    short list is cut from its (id, order values), fetched with the count, without sending the
    ids back to be sorted (a township's 626 suggestions: an `IN` of 626 ids, built and sent
    for every page)."""
    fields = keyset_fields(queryset)
    meta = queryset.model._meta
    if fields is None or any(meta.get_field(name).get_internal_type() not in PYTHON_SORTABLE for name, _d in fields):
        return None
    return fields


def sort_keys(keys: list[tuple], fields: list[tuple[str, bool]]) -> list[tuple]:
    """(id, *values) tuples in the order `fields` ([(name, descending)]) gives, as SQL sorts them."""
    ordered = list(keys)
    for position in range(len(fields), 0, -1):  # stable sorts, last field first
        ordered.sort(key=lambda key, i=position: key[i], reverse=fields[position - 1][1])
    return ordered


def keys_after(ordered: list[tuple], fields: list[tuple[str, bool]], values: list, *, backwards: bool = False) -> list[tuple]:
    """The sorted keys after (`backwards`: before, nearest first) the cursor `values`."""
    def after(key) -> bool:
        for (_name, descending), mine, theirs in zip(fields, key[1:], values, strict=True):
            if mine != theirs:
                return (mine < theirs) == (descending != backwards)
        return False
    return [key for key in (reversed(ordered) if backwards else ordered) if after(key)]


def worth_sorting(count: int, is_estimate: bool, cap: int = COUNT_CAP) -> bool:
    """Whether a page's ids are better sorted than read along the order's index: a list of
    at most SORT_BELOW rows, as estimated. An estimate at the floor (cap + 1) is the planner's
    guess below what the capped count already found, a join it misjudged: how many rows there
    are is unknown, and reading along the index is the safe plan (a city's 3,500 pending
    assignments, guessed 278: 76 ms sorted, 8–30 ms read along the deadline)."""
    return count <= SORT_BELOW and not (is_estimate and count == cap + 1)


def _single_valued(join) -> bool:
    field = getattr(join, "join_field", None)  # None: the base table
    return field is None or not (getattr(field, "many_to_many", False) or getattr(field, "one_to_many", False))


def unindexed_order(queryset):
    """`queryset` in its own order, by expressions no index serves (`COALESCE(col, col)`):
    PostgreSQL then fetches the matching rows and sorts them instead of walking an index of the
    order column until it has a page. For a few thousand rows that is the right plan, which the
    planner misses when it expects them spread evenly over the order: the newest 20 of a unit's
    796 suggestions or of a province's 8,500 late ones made it walk `created_at` from the newest
    row of the whole table (3–4 s at 1,000,000 suggestions, against 20–30 ms)."""
    query = queryset.query
    order = []
    for item in query.order_by or (query.get_meta().ordering if query.default_ordering else ()):
        if not isinstance(item, str) or item == "?":
            order.append(item)
            continue
        name = item.lstrip("-")
        expression = Coalesce(F(name), F(name))
        order.append(expression.desc() if item.startswith("-") else expression.asc())
    return queryset.order_by(*order) if order else queryset


def _without_conditions(queryset):
    """`queryset` without its WHERE, for reading rows whose ids came from it: kept beside the
    ids, the conditions make the planner expect one row and join the regions and stations by
    sequential scan (0.5 s). Only when every join is single-valued (then no row changes)."""
    narrowed = queryset._chain()
    if all(_single_valued(join) for join in narrowed.query.alias_map.values()):
        narrowed.query.where = WhereNode()
    return narrowed


def read_by_ids(queryset, ids):
    """`queryset` narrowed to `ids` (at most a few thousand, taken from it), sorted in its own
    order by `unindexed_order`."""
    return unindexed_order(_without_conditions(queryset).filter(pk__in=list(ids)))


def rows_in_order(queryset, ids: list) -> list:
    """The rows of `queryset` with these `ids`, in the order of `ids` (its WHERE dropped: the
    ids came from it)."""
    if not ids:
        return []
    found = {row.pk: row for row in _without_conditions(queryset).filter(pk__in=ids).order_by()}
    return [found[pk] for pk in ids if pk in found]


def rows_by_page_ids(queryset, bottom: int, top: int, *, sort: bool = False) -> list:
    """Rows `bottom`..`top` of `queryset` in two steps (a deferred join): the page's ids first,
    `SELECT id … ORDER BY … LIMIT`, which an index holding the filter and the order columns
    answers without reading the table (a county's newest 20 of 7,483 suggestions in 6 ms,
    where reading whole rows made PostgreSQL walk the `created_at` index through 2,500 rows of
    other counties: 24–90 ms); then those rows with everything the list shows, by id. `sort`:
    the ids are sorted, not read along an index (`unindexed_order`), for lists known to be short."""
    return rows_in_order(queryset, list((unindexed_order(queryset) if sort else queryset).values_list("pk", flat=True)[bottom:top]))


class EstimatedPage(Page):
    """A page whose neighbours are known from the rows themselves (one row read past the
    end), not from the count, which may be an estimate."""

    def __init__(self, object_list, number, paginator, *, more: bool):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self):
        return self.more


class Paginator(DjangoPaginator):
    """Django's paginator with `capped_count`. With an estimated count any page from 1 on
    may be asked for: one past the last row is a 404 (EmptyPage) all the same.

    A list of at most `count_cap` rows is read by the ids the count fetched (`read_by_ids`).
    """

    count_cap = COUNT_CAP
    count_is_estimate = False
    ids = None
    keys = None  # a short list's (id, *order values), sorted, when its order sorts in Python
    key_fields = None

    def __init__(self, *args, sort: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.sort = sort  # the view knows the rows are few or clustered away from the order

    @cached_property
    def count(self):
        if not hasattr(self.object_list, "query"):
            return len(self.object_list)
        if self.object_list._iterable_class is ModelIterable:
            self.key_fields = python_sortable(self.object_list)
        names = tuple(name for name, _descending in self.key_fields or ())
        count, self.count_is_estimate, found = capped_count(self.object_list, self.count_cap, keys=names)
        if found is not None and names:
            self.keys = sort_keys(found, self.key_fields)
            found = [key[0] for key in self.keys]
        self.ids = found
        return count

    def rows(self):
        """The object list, narrowed to the counted ids when there were few."""
        self.count  # noqa: B018
        return self.object_list if self.ids is None else read_by_ids(self.object_list, self.ids)

    def slice_rows(self, bottom: int, top: int, *, after: list | None = None, backwards: bool = False) -> list:
        """Rows `bottom`..`top` of the counted short list (its ids known), after the cursor
        values `after` (`backwards`: before them, nearest first) if given. Sorted from the keys
        in Python when it can be; else more ids than a page are sorted alone first, so that only
        the page's rows are read with their joins (a township's 626 suggestions: 5 ms of joined
        rows sorted, against 1 ms for their ids)."""
        if self.keys is not None:
            keys = self.keys if after is None else keys_after(self.keys, self.key_fields, after, backwards=backwards)
            return rows_in_order(self.object_list, [key[0] for key in keys[bottom:top]])
        rows = self.rows()
        if after is not None:
            rows = rows.filter(keyset_q(keyset_fields(self.object_list), after, backwards=backwards))
            rows = rows.reverse() if backwards else rows
        if len(self.ids) <= top - bottom:
            return list(rows[bottom:top])
        return rows_by_page_ids(rows, bottom, top, sort=True)

    def validate_number(self, number):
        self.count  # noqa: B018 -- decides whether the count is an estimate
        if not self.count_is_estimate:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger(_("That page number is not an integer")) from error
        if number < 1:
            raise EmptyPage(_("That page number is less than 1"))
        return number

    def page(self, number):
        number = self.validate_number(number)
        if not self.count_is_estimate:
            if self.ids is None:
                return super().page(number)
            bottom = (number - 1) * self.per_page
            return self._get_page(self.slice_rows(bottom, bottom + self.per_page), number, self)
        bottom = (number - 1) * self.per_page
        sort = self.sort or worth_sorting(self.count, self.count_is_estimate, self.count_cap)
        rows = rows_by_page_ids(self.object_list, bottom, bottom + self.per_page + 1, sort=sort)
        if not rows and number > 1:
            raise EmptyPage(_("That page contains no results"))
        return EstimatedPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)


def keyset_fields(queryset) -> list[tuple[str, bool]] | None:
    """[(field, descending)] of the queryset's ordering when a keyset can page it: direct,
    non-null, non-relation columns ending with the primary key (a total order). Else None."""
    query = queryset.query
    order = list(query.order_by) or (list(query.get_meta().ordering) if query.default_ordering else [])
    if not order or query.extra_order_by:
        return None
    meta = queryset.model._meta
    fields = []
    for item in order:
        if not isinstance(item, str) or "__" in item or item.lstrip("-") == "?":
            return None
        name = item.lstrip("-")
        if name == "pk":
            name = meta.pk.name
        try:
            field = meta.get_field(name)
        except FieldDoesNotExist:
            return None  # an annotation
        if name in query.annotations or not field.concrete or field.null or field.is_relation:
            return None
        fields.append((name, item.startswith("-")))
    return fields if fields[-1][0] == meta.pk.name else None


def keyset_q(fields: list[tuple[str, bool]], values: list, *, backwards: bool = False) -> Q:
    """Rows after (or, `backwards`, before) `values` in the ordering `fields`. The first
    field's bound comes first on its own, so an index on it bounds the scan."""
    first, descending = fields[0]
    q = Q(**{f"{first}__{'lte' if descending != backwards else 'gte'}": values[0]})
    after = Q(pk__in=[])
    for i, (name, descending) in enumerate(fields):
        step = Q(**{earlier: value for (earlier, _d), value in zip(fields[:i], values[:i], strict=True)})
        step &= Q(**{f"{name}__{'lt' if descending != backwards else 'gt'}": values[i]})
        after |= step
    return q & after


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=N&page_size=M` (at most 200), as the API contract fixes.

    A `page_size` that is not a whole number from 1 to 200 is a 400 (rather than silently
    another size); a page that does not exist (`page=0`, `page=abc`, past the end) is a 404.

    `count` is exact up to 1,000 matching rows; above, it may be the database's estimate, and
    `count_is_estimate` (always present) says so. Where the list's ordering allows it (columns
    ending with the id, as `-created_at, -id`), `next` and `previous` from a cursor page, and
    `next` from a numbered page, are `?cursor=…` links: the following page is read from an index
    after the last row, never by skipping rows with OFFSET. `?page=N` keeps working.
    """

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 200
    cursor_query_param = "cursor"
    django_paginator_class = Paginator  # with the view's `sort` (paginate_queryset)
    page_query_description = _("页码，从 1 开始；超出范围返回 404。")
    page_size_query_description = _("每页条数，1 到 200，默认 20。")
    cursor_query_description = _("游标：取自上一页的 next/previous 链接，不要自行构造；与 page 同时给出时以游标为准。")

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: [_("每页条数应为 1 到 %(max)d 之间的整数。") % {"max": self.max_page_size}]}
            )
        return int(raw)

    def paginate_queryset(self, queryset, request, view=None):
        """A view may say its filtered rows are better sorted than read along an index
        (`sorts_pages(request)`: late items are few and old, the newest-first walk meets them
        last)."""
        self.request = request
        sort = bool(view is not None and getattr(view, "sorts_pages", None) and view.sorts_pages(request))
        self.django_paginator_class = functools.partial(Paginator, sort=sort)
        models = hasattr(queryset, "query") and queryset._iterable_class is ModelIterable  # not .values()
        self.keyset = keyset_fields(queryset) if models else None
        self.model_meta = queryset.model._meta if self.keyset is not None else None
        self.cursor_rows = None
        raw = request.query_params.get(self.cursor_query_param)
        if raw is None or self.keyset is None:
            self.rows = super().paginate_queryset(queryset, request, view)
            return self.rows
        values, backwards = self._decode(raw)
        page_size = self.get_page_size(request)
        self.counter = self.django_paginator_class(queryset, page_size)
        counter = self.counter
        counter.count  # noqa: B018 -- the count of the whole list, as on numbered pages
        if counter.ids is None:
            ordered = queryset.filter(keyset_q(self.keyset, values, backwards=backwards))
            ordered = ordered.reverse() if backwards else ordered
            sort = counter.sort or worth_sorting(counter.count, counter.count_is_estimate, counter.count_cap)
            rows = rows_by_page_ids(ordered, 0, page_size + 1, sort=sort)
        else:
            rows = counter.slice_rows(0, page_size + 1, after=values, backwards=backwards)
        more = len(rows) > page_size
        rows = rows[:page_size]
        if backwards:
            rows.reverse()
        self.cursor_rows = rows
        self.cursor_more = {"next": True, "previous": more} if backwards else {"next": more, "previous": True}
        self.rows = rows
        return rows

    # --- cursors ---------------------------------------------------------------------------
    def _encode(self, row, *, backwards: bool) -> str:
        meta = type(row)._meta
        values = [meta.get_field(name).value_to_string(row) for name, _descending in self.keyset]
        payload = json.dumps({"v": values, "b": backwards}, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(payload).decode().rstrip("=")

    def _decode(self, raw: str) -> tuple[list, bool]:
        try:
            payload = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
            values, backwards = payload["v"], bool(payload.get("b"))
            if not isinstance(values, list) or len(values) != len(self.keyset):
                raise ValueError
            meta = self.model_meta
            return [meta.get_field(name).to_python(v) for (name, _d), v in zip(self.keyset, values, strict=True)], backwards
        except (ValueError, TypeError, KeyError, binascii.Error, DjangoValidationError) as error:
            raise NotFound(_("游标无效。")) from error

    def _cursor_link(self, row, *, backwards: bool) -> str:
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        return replace_query_param(url, self.cursor_query_param, self._encode(row, backwards=backwards))

    # --- the response ----------------------------------------------------------------------
    @property
    def paginator(self):
        return self.counter if self.cursor_rows is not None else self.page.paginator

    def get_next_link(self):
        if self.cursor_rows is not None:
            if not (self.cursor_more["next"] and self.cursor_rows):
                return None
            return self._cursor_link(self.cursor_rows[-1], backwards=False)
        if self.keyset is not None and self.page.has_next() and self.rows:
            return self._cursor_link(self.rows[-1], backwards=False)
        return super().get_next_link()

    def get_previous_link(self):
        if self.cursor_rows is not None:
            if not (self.cursor_more["previous"] and self.cursor_rows):
                return None
            return self._cursor_link(self.cursor_rows[0], backwards=True)
        return super().get_previous_link()

    def get_paginated_response(self, data):
        paginator = self.paginator
        return Response({
            "count": paginator.count,
            "count_is_estimate": paginator.count_is_estimate,
            "next": self.get_next_link(),
            "previous": self.get_previous_link(),
            "results": data,
        })

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["required"] = ["count", "count_is_estimate", "results"]
        properties = response["properties"]
        properties["count"]["description"] = str(_(
            "符合条件的条数：1000 条以内为精确值；超过时可能是数据库的估计值（count_is_estimate 为 true），不少于 1001。"
        ))
        properties["count_is_estimate"] = {
            "type": "boolean", "example": False, "description": str(_("count 是否为估计值（超过 1000 条时可能是）")),
        }
        properties["next"]["description"] = str(_("下一页：按默认排序时为 cursor 链接（深翻页不用 OFFSET），否则为 page 链接"))
        ordered = {key: properties[key] for key in ("count", "count_is_estimate", "next", "previous", "results")}
        response["properties"] = ordered
        return response

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"].update({"minimum": 1, "maximum": self.max_page_size, "default": self.page_size})
        parameters.append({
            "name": self.cursor_query_param, "required": False, "in": "query",
            "description": str(self.cursor_query_description), "schema": {"type": "string"},
        })
        return parameters
