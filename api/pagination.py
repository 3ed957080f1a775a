from __future__ import annotations

from rest_framework.pagination import PageNumberPagination


class PagePagination(PageNumberPagination):
    """``?page=2&page_size=100``; ``count``, ``next``, ``previous`` and ``results`` in the body."""

    page_size_query_param = "page_size"
    max_page_size = 200
