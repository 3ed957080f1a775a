"""The API's one parser: JSON, read defensively so that no body can cause a 500.

- Size: DRF reads the body through Django, which refuses more than ``DATA_UPLOAD_MAX_MEMORY_SIZE``
  bytes; ``api.exceptions`` turns that refusal into a 413 with the API's error body.
- Depth: JSON nested deeper than ``MAX_DEPTH`` is refused (5,000 nested lists made the decoder
  raise RecursionError; no request of the API goes beyond three levels).
- Text that cannot be stored: JSON allows lone UTF-16 surrogates (``"\\ud800"``), which
  PostgreSQL cannot encode — a 400 here rather than a 500 there.
"""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.utils import json

MAX_DEPTH = 20


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e400 reads as infinity, which no field can hold
        raise ValueError(_("nombre hors limites (%(text)s)") % {"text": text[:20]})
    return value


def _depth_exceeds(data: Any, limit: int) -> bool:
    """Whether ``data`` nests lists or objects deeper than ``limit`` (iterative: no recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > limit:
                return True
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)
    return False


class StrictJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict | None = None) -> Any:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        raw = stream.read()
        try:
            data = json.loads(raw.decode(encoding), parse_constant=json.strict_constant, parse_float=_finite_float)
        except RecursionError:
            raise ParseError(_("Le JSON envoyé est imbriqué trop profondément.")) from None
        except (ValueError, LookupError) as exc:  # invalid JSON, undecodable bytes, unknown charset
            raise ParseError(_("Le JSON envoyé n'est pas valide : %(error)s") % {"error": exc}) from None
        if _depth_exceeds(data, MAX_DEPTH):
            raise ParseError(_("Le JSON envoyé est imbriqué trop profondément."))
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise ParseError(_("Le texte envoyé contient des caractères invalides.")) from None
        return data
