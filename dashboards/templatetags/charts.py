"""Server-side SVG bar charts: no JavaScript, no CDN, readable on a phone. Each chart carries a
title and description for screen readers, and the template shows the same numbers as a table."""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from dashboards.figures import Series

register = template.Library()

BAR_HEIGHT, GAP, LABEL_WIDTH, WIDTH = 24, 6, 150, 380  # about 1:1 on a phone
LABEL_CHARS = 21


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


@register.simple_tag
def bar_chart(series: Series, chart_id: str) -> SafeString:
    """Horizontal bars: labels left, values right; scales to the container's width."""
    rows = series.rows or [("—", 0)]
    top = max(series.max, 1)
    height = len(rows) * (BAR_HEIGHT + GAP) + GAP
    bar_space = WIDTH - LABEL_WIDTH - 60
    bars = format_html_join(
        "",
        '<g transform="translate(0,{})"><text x="{}" y="{}" text-anchor="end" class="chart-label">{}</text>'
        '<rect x="{}" y="0" width="{}" height="{}" rx="3" class="chart-bar"></rect>'
        '<text x="{}" y="{}" class="chart-value">{}</text></g>',
        (
            (GAP + i * (BAR_HEIGHT + GAP), LABEL_WIDTH - 8, BAR_HEIGHT - 6, _short(label), LABEL_WIDTH,
             max(1, round(bar_space * value / top)) if value else 0, BAR_HEIGHT,
             LABEL_WIDTH + (round(bar_space * value / top) if value else 0) + 6, BAR_HEIGHT - 6, value)
            for i, (label, value) in enumerate(rows)
        ),
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-title {}-desc" preserveAspectRatio="xMinYMin meet">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        WIDTH, height, chart_id, chart_id, chart_id, series.title, chart_id,
        "; ".join(f"{label} : {value}" for label, value in rows), bars,
    )
