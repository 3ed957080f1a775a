from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from geo.selectors import commune_search


@require_GET
@cache_control(max_age=3600, public=True)
def commune_options(request: HttpRequest) -> HttpResponse:
    """<option> elements for the commune <datalist> (public reference data, no personal data)."""
    # The input sends its own value under its field name (htmx's default), or ``q``.
    query = (request.GET.get("q") or next(iter(request.GET.values()), ""))[:60]
    return render(request, "geo/commune_options.html", {"communes": commune_search(query=query)})
