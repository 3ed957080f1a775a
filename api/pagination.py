from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from mentorat.paging import ListPaginator, capped_count


class PagePagination(PageNumberPagination):
    """``?page=2&page_size=100``; ``count``, ``count_is_exact``, ``next``, ``previous`` and
    ``results`` in the body. Page 100 costs about what page 1 costs: the offset is taken on the
    list's own table and ordering, and only the page's rows are joined
    (``mentorat.paging.ListPaginator``). ``count`` is exact up to 1,000 rows and the database's
    estimate beyond (``count_is_exact: false``), like the pages' « environ 25 000 »: an exact
    count reads every row of the association (at 50,000 participants it was most of a page's
    database time) and nobody pages by it; the rows themselves are never estimated."""

    page_size_query_param = "page_size"
    max_page_size = 200
    django_paginator_class = ListPaginator

    def get_paginated_response(self, data: Any) -> Response:
        paginator = self.page.paginator
        return Response({"count": paginator.count, "count_is_exact": not getattr(paginator, "approximate", False),
                         "next": self.get_next_link(), "previous": self.get_previous_link(), "results": data})

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count_is_exact"] = {
            "type": "boolean", "description": "false: « count » est une estimation (au-delà de 1 000 lignes)"}
        response["required"] = [*response.get("required", []), "count_is_exact"]
        return response


def keyset_after(fields: Sequence[str], values: Sequence[Any], *, nullable: frozenset[str]) -> Q:
    """Rows strictly after ``values`` in the ascending order ``fields`` (NULLS LAST, PostgreSQL's
    default for ascending order, which an ascending index also follows); the last field is unique.
    The first field's ``>=`` is repeated so the database seeks the index there instead of
    filtering from the start."""
    after = Q()
    for i in reversed(range(len(fields))):
        name, value = fields[i], values[i]
        if value is None:  # nothing sorts after NULL but other NULLs
            greater, equal = Q(pk__in=[]), Q(**{f"{name}__isnull": True})
        else:
            greater = Q(**{f"{name}__gt": value})
            if name in nullable:
                greater |= Q(**{f"{name}__isnull": True})
            equal = Q(**{name: value})
        after = greater if i == len(fields) - 1 else greater | (equal & after)
    if values[0] is not None:
        after &= Q(**{f"{fields[0]}__gte": values[0]})
    return after


class KeysetPagination(PagePagination):
    """``next`` links carry a cursor (the last row's sort key): each page is read from the index
    where the previous one stopped, so page 100 costs what page 1 costs, and rows inserted
    meanwhile neither repeat nor push rows out of the next page. ``?page=N`` still answers as
    before (with ``previous``); the cursor has no ``previous``. ``count`` as in PagePagination
    (exact up to 1,000 rows, estimated beyond)."""

    cursor_query_param = "cursor"
    ordering: Sequence[str] = ()

    def paginate_queryset(self, queryset: QuerySet, request: Request, view: Any = None) -> list[Any] | None:
        self.request = request
        self.keyset = self.page_query_param not in request.query_params
        if not self.keyset:
            return super().paginate_queryset(queryset, request, view)
        size = self.get_page_size(request) or 25
        fields = [f if f != "pk" else queryset.model._meta.pk.name for f in self.ordering]
        self.fields = fields
        self.count, self.approximate = capped_count(queryset, ListPaginator.count_cap)
        token = request.query_params.get(self.cursor_query_param)
        if token:
            queryset = queryset.filter(keyset_after(fields, self._decode(token, queryset.model, fields),
                                                    nullable=self._nullable(queryset.model, fields)))
        rows = list(queryset.order_by(*fields)[: size + 1])
        self.has_next = len(rows) > size
        self.rows = rows[:size]
        return self.rows

    def get_paginated_response(self, data: Any) -> Response:
        if not self.keyset:
            return super().get_paginated_response(data)
        next_link = None
        if self.has_next:
            url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
            next_link = replace_query_param(url, self.cursor_query_param, self._encode(self.rows[-1]))
        return Response({"count": self.count, "count_is_exact": not self.approximate, "next": next_link, "previous": None,
                         "results": data})

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [*super().get_schema_operation_parameters(view), {
            "name": self.cursor_query_param, "required": False, "in": "query",
            "description": "La suite de la liste (le lien « next »)", "schema": {"type": "string"},
        }]

    @staticmethod
    def _nullable(model: type[Model], fields: Sequence[str]) -> frozenset[str]:
        return frozenset(f for f in fields if model._meta.get_field(f).null)

    def _encode(self, row: Model) -> str:
        values = [getattr(row, f) for f in self.fields]
        raw = json.dumps([v.isoformat() if hasattr(v, "isoformat") else v for v in values])
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @staticmethod
    def _decode(token: str, model: type[Model], fields: Sequence[str]) -> list[Any]:
        try:
            raw = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
            if not isinstance(raw, list) or len(raw) != len(fields):
                raise ValueError(token)  # noqa: TRY301 - answered as every other malformed cursor
            return [None if v is None else model._meta.get_field(f).to_python(v) for f, v in zip(fields, raw, strict=True)]
        except (ValueError, TypeError, DjangoValidationError) as exc:  # binascii and JSON errors are ValueErrors
            raise ValidationError({"cursor": [_("Ce lien de suite de liste n'est pas valide.")]}) from exc
