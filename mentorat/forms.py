from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, QueryDict


def posted_data(request: HttpRequest) -> QueryDict | None:
    """The submitted data, or None on GET. Not ``request.POST or None``: an empty submission is
    falsy, and the form would come back unbound, without a word about the missing fields."""
    return request.POST if request.method == "POST" else None


def apply_validation_error(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: next to the field it names, else on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        form.add_error(None, exc)


class PrefixedIdsMixin:
    """Field ids that stay unique when several forms share a page: ``id_<id_prefix>_<field>``.

    The binôme pages show the report, suspension and early-end forms together, each with a
    ``reason`` field: with Django's default ids, ``id_reason`` appeared twice and a label could
    point to the wrong textarea. Field names (what is posted) are unchanged."""

    id_prefix = ""

    def __init__(self, *args: object, **kwargs: object) -> None:
        if self.id_prefix:
            kwargs.setdefault("auto_id", f"id_{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]


__all__ = ["apply_validation_error", "posted_data", "PrefixedIdsMixin", "NON_FIELD_ERRORS"]
