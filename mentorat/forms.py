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


__all__ = ["apply_validation_error", "posted_data", "NON_FIELD_ERRORS"]
