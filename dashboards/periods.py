"""Plausible bounds on a dashboard's period, shared by the pages' filter form and the API.

Without them a period of centuries reached the database as one aggregate per month (PostgreSQL
refuses more than 1,664 columns) and a date at the edge of the calendar overflowed
(``9999-12-31`` plus one day). No association's data predates the platform's programmes (the
API's cohort field starts in 2000 too), and ten years of months is far more than a report needs.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

EARLIEST = date(2000, 1, 1)
FUTURE_YEARS = 5  # planned ends and programme years lie a little ahead, not centuries
MAX_YEARS = 10
DEFAULT_DAYS = 365


def latest() -> date:
    return date(timezone.localdate().year + FUTURE_YEARS, 12, 31)


def date_error(day: date | None) -> str | None:
    """A French sentence when ``day`` is outside the bounds, else None."""
    if day is None or EARLIEST <= day <= latest():
        return None
    return _("Choisissez une date entre le %(earliest)s et le %(latest)s.") % {
        "earliest": date_format(EARLIEST, "SHORT_DATE_FORMAT"), "latest": date_format(latest(), "SHORT_DATE_FORMAT")}


def period_resolve(start: date | None, end: date | None) -> tuple[date, date]:
    """The period asked for, with the defaults: up to today, the twelve months before the end.
    The default start never goes before EARLIEST (an end in early 2000 has no year before it)."""
    end = end or timezone.localdate()
    return start or max(end - timedelta(days=DEFAULT_DAYS), EARLIEST), end


def period_errors(start: date | None, end: date | None) -> dict[str, str]:
    """Field → French message for each problem of the period (empty when it is fine)."""
    errors = {name: message for name, message in (("start", date_error(start)), ("end", date_error(end))) if message}
    if errors:
        return errors
    first, last = period_resolve(start, end)
    if first > last:
        return {"end": _("La fin de la période doit venir après son début.")}
    if last - first > timedelta(days=366 * MAX_YEARS):
        return {"end": _("La période ne peut pas dépasser %(years)s ans : choisissez des dates plus proches.") % {"years": MAX_YEARS}}
    return {}
