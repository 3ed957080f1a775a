"""Page numbers for long lists at a cost that does not grow with the list.

``ListPaginator`` is Django's ``Paginator`` with two changes, for the coordinators' lists (binômes,
participants) and the API's ``?page=N``:

- **The count is exact up to ``COUNT_CAP`` rows, estimated beyond.** The exact count reads every
  matching row (39 ms at 50,000 binômes, growing with the association); a count of at most
  ``COUNT_CAP + 1`` rows costs the same at any size, and above it nobody needs "25 483" rather
  than "environ 25 000": the figure then comes from PostgreSQL's planner (``EXPLAIN``, no row
  read), never below what was counted. ``page.paginator.approximate`` says which one it is.
- **A deep page reads its rows by a deferred join.** ``OFFSET n`` on the list's query joins the
  users and communes of the ``n`` skipped rows before dropping them (409 ms for page 100 at 50k);
  here the offset runs on the list's own table and ordering only (an index scan over the
  ordering's index), and the 25 rows kept are joined afterwards: ``WHERE id IN (SELECT id … ORDER
  BY … OFFSET n LIMIT 26)``. The extra row tells whether a next page exists, so an estimated
  count never shows a "Suivante" link to an empty page.
"""

from __future__ import annotations

import json
from functools import cached_property
from typing import Any

from django.core.paginator import EmptyPage, InvalidPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import QuerySet

# Counted exactly up to this many rows (40 pages of 25): beyond, the planner's estimate.
COUNT_CAP = 1000


def estimated_count(queryset: QuerySet) -> int | None:
    """The planner's row estimate for ``queryset`` (PostgreSQL; None elsewhere): EXPLAIN plans the
    query without running it, so it costs a planning, whatever the table's size."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        raw = cursor.fetchone()[0]
    plan = json.loads(raw) if isinstance(raw, str) else raw
    return int(plan[0]["Plan"]["Plan Rows"])


def capped_count(queryset: QuerySet, cap: int | None = COUNT_CAP) -> tuple[int, bool]:
    """``(count, approximate)``: exact up to ``cap`` rows (a count of at most ``cap + 1`` rows),
    the planner's estimate beyond (never below what was counted); always exact when ``cap`` is
    None or the database has no estimate."""
    if cap is None:
        return queryset.count(), False
    counted = queryset.order_by()[: cap + 1].count()  # SELECT COUNT(*) FROM (… LIMIT cap + 1)
    if counted <= cap:
        return counted, False
    estimate = estimated_count(queryset)
    if estimate is None:
        return queryset.count(), False
    return max(estimate, counted), True


class ListPage(Page):
    def __init__(self, object_list: Any, number: int, paginator: ListPaginator, *, more: bool) -> None:
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return self.more


class ListPaginator(Paginator):
    """See the module's docstring. ``object_list`` must be an ordered queryset."""

    count_cap: int | None = COUNT_CAP  # None: always the exact count

    def __init__(self, object_list: QuerySet, per_page: int, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.approximate = False

    @property
    def _plain(self) -> bool:
        """A list, or a union: Django's paginator as it is (no cap, no deferred join)."""
        qs = self.object_list
        return not isinstance(qs, QuerySet) or bool(qs.query.combinator)

    @cached_property
    def count(self) -> int:
        if self._plain:
            return super().count
        count, self.approximate = capped_count(self.object_list, self.count_cap)
        return count

    def validate_number(self, number: Any) -> int:
        try:
            number = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from exc
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        # An estimated count cannot say where the list ends: the rows read do (see page()).
        if not self.approximate and number > self.num_pages and not (number == 1 and self.allow_empty_first_page):
            raise EmptyPage(self.error_messages["no_results"])
        return number

    def page(self, number: Any) -> Page:
        if self._plain:
            return super().page(number)
        self.count  # noqa: B018 - sets ``approximate``, which validate_number reads
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        qs = self.object_list
        ids = qs.values("pk")[bottom: bottom + self.per_page + 1]
        rows = list(qs.filter(pk__in=ids)) if number > 1 else list(qs[: self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        return ListPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)

    def get_page(self, number: Any) -> Page:
        try:
            return self.page(number)
        except EmptyPage:
            # Past the end: the last page when the count is exact, else the first.
            return self.page(self.num_pages if not self.approximate else 1)
        except InvalidPage:  # no number, or not a number
            return self.page(1)
