"""Small helpers shared by the association tests."""

from __future__ import annotations

import re
from html import unescape


def field_block(page: str, name: str) -> str:
    """The rendered ``<div class="field ...">`` that holds the input named ``name``: its label,
    errors and widget, so a test can check an error sits next to its field."""
    blocks = re.split(r'(?=<div class="field[ "])', page)
    for block in blocks:
        if re.search(rf'name="{re.escape(name)}"', block):
            return unescape(block)
    raise AssertionError(f"no field named {name!r} on the page")


def field_errors(page: str, name: str) -> list[str]:
    block = field_block(page, name)
    return [unescape(e) for e in re.findall(r'<ul class="errorlist"[^>]*>(.*?)</ul>', block, re.S)]
