from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class StrictJSONParser(JSONParser):
    """JSON, refusing text that cannot be stored: JSON allows lone UTF-16 surrogates
    (``"\\ud800"``), which PostgreSQL cannot encode — a 400 here rather than a 500 there."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict | None = None) -> Any:
        data = super().parse(stream, media_type, parser_context)
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise ParseError(_("Le texte envoyé contient des caractères invalides.")) from None
        return data
