"""Server-side SVG bar charts: no JavaScript, no CDN, readable on a phone. Each chart carries a
title and description for screen readers, and the template shows the same numbers as a table.

Each bar has its label on its own line(s) above it, wrapped at word boundaries: a label is never
cut ("Déménagement ou changement de situation", "93 – Seine-Saint-Denis"), whatever the width,
since the SVG scales down as a whole and keeps room for the longest line it was drawn with.
"""

from __future__ import annotations

import textwrap

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from dashboards.figures import Series
from mentorat import french

register = template.Library()

WIDTH = 360  # viewBox units; at 13 px type a line holds about 46 characters
LINE_CHARS = 44
LINE_HEIGHT, BAR_HEIGHT, ROW_GAP, VALUE_ROOM = 17, 16, 12, 56


def _lines(label: str) -> list[str]:
    return textwrap.wrap(label, LINE_CHARS, break_long_words=True, break_on_hyphens=False) or ["—"]


@register.simple_tag
def bar_chart(series: Series, chart_id: str) -> SafeString:
    """Horizontal bars, each with its (wrapped) label above and its value at its end.

    ``chart_id`` must be unique on the page: it prefixes the title and description ids."""
    rows = series.rows or [("—", 0)]
    top = max(series.max, 1)
    bar_space = WIDTH - VALUE_ROOM
    parts, y = [], ROW_GAP // 2
    for label, value in rows:
        lines = _lines(str(label))
        text = format_html_join("", '<tspan x="0" dy="{}">{}</tspan>', ((LINE_HEIGHT if i else 0, line) for i, line in enumerate(lines)))
        label_top = y + 13  # first baseline
        bar_y = y + len(lines) * LINE_HEIGHT + 2
        width = max(2, round(bar_space * value / top)) if value else 0
        parts.append(format_html(
            '<g><text x="0" y="{}" class="chart-label">{}</text>'
            '<rect x="0" y="{}" width="{}" height="{}" rx="3" class="chart-track"></rect>'
            '<rect x="0" y="{}" width="{}" height="{}" rx="3" class="chart-bar"></rect>'
            '<text x="{}" y="{}" class="chart-value">{}</text></g>',
            label_top, text, bar_y, bar_space, BAR_HEIGHT, bar_y, width, BAR_HEIGHT,
            width + 6, bar_y + BAR_HEIGHT - 3, french.number(value),
        ))
        y = bar_y + BAR_HEIGHT + ROW_GAP
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-title {}-desc" preserveAspectRatio="xMinYMin meet">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        WIDTH, y, chart_id, chart_id, chart_id, series.title, chart_id,
        "; ".join(f"{label} : {french.number(value)}" for label, value in rows), SafeString("".join(parts)),
    )
