"""A figure on a dashboard: a value, how many people it rests on, and an honest display."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils.formats import number_format

from mentorat import french

# Below this many people a percentage says more about chance than about the programme.
MIN_PEOPLE = 5


@dataclass(frozen=True)
class Figure:
    label: str
    value: float | None  # a count, a ratio in [0, 1], a number of days, a score...
    n: int  # how many people (or binômes, or answers) it rests on
    kind: str = "count"  # count | ratio | days | score | nps
    min_n: int = MIN_PEOPLE

    @property
    def enough(self) -> bool:
        return self.kind == "count" or (self.value is not None and self.n >= self.min_n)

    @property
    def display(self) -> str:
        """French display; "—" when there is too little data to say anything."""
        if self.value is None or not self.enough:
            return "—"
        if self.kind == "ratio":
            return french.percent(100 * self.value)
        if self.kind == "days":
            return f"{number_format(round(self.value))}{french.NBSP}j"
        if self.kind == "nps":
            return f"{'+' if self.value > 0 else ''}{number_format(round(self.value))}"
        if self.kind == "score":
            return number_format(round(self.value, 1), decimal_pos=1)
        return number_format(int(self.value), force_grouping=True)

    @property
    def export_value(self) -> str:
        if self.value is None or not self.enough:
            return ""
        if self.kind == "ratio":
            return f"{100 * self.value:.1f}"
        return f"{self.value:.2f}" if isinstance(self.value, float) and self.kind != "count" else str(int(self.value))


# Labels are stored as plain strings (translated when the figure is built): the figures are
# cached pickled, and each lazy translation proxy rebuilt a class when unpickled (about 0.3 ms
# apiece; the 29 lazy labels were 10 ms of CPU per warm dashboard, before rendering).

def ratio(label: str, part: int | None, whole: int | None, *, min_n: int = MIN_PEOPLE) -> Figure:
    whole = whole or 0
    return Figure(str(label), (part or 0) / whole if whole else None, whole, "ratio", min_n)


def count(label: str, value: int | None) -> Figure:
    return Figure(str(label), value or 0, value or 0, "count")


def days(label: str, value: timedelta | float | None, n: int) -> Figure:
    if isinstance(value, timedelta):
        value = value.total_seconds() / 86400
    return Figure(str(label), float(value) if value is not None else None, n, "days")


@dataclass
class Series:
    """A labelled distribution or monthly trend: rows of (label, value), with the total n."""

    title: str
    rows: list[tuple[str, int]] = field(default_factory=list)
    n: int = 0
    # What n counts, for the caption: "people" (the people or binômes the rows split: "sur 120
    # personnes ou binômes") or "total" (a monthly count of events: "1 119 au total").
    unit: str = "people"

    @property
    def max(self) -> int:
        return max((v for _, v in self.rows), default=0)
