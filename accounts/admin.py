"""Django admin is the platform operator's tool, not a second way into the association's work.

What the operator does there: look up a login for support (e-mail, name, active or not, rights),
end a coordinator's membership, suspend or reactivate an association, revoke an integration
token, and check that the platform's promises hold (which binômes exist and in which state, whether
a minor's parental consent was confirmed, whether a mentor's attestation is valid). What the
operator does not do there: change a participant's or a binôme's status, consent or vetting (those
are the coordinators' decisions, made through the services that apply the safeguarding rules and
tell the people concerned), nor delete any of them (the history is what the rules and the
retention periods work on).

So in the admin:
- Participants, consents and binômes are read-only, with no add and no delete, and they show an
  allow-list of fields (a field added to the model later stays hidden until someone decides
  the operator needs it):
  - a participant is a number, an association, a role, a status, an age band (never the birth
    date), a département (never the commune), dates of sign-up and validation, the state of the
    parental consent (requested, confirmed, refused — never the parent's name or e-mail), and
    whether the attestation is valid with its expiry date. Never: gender, social background
    (QPV, boursier, first generation, parents' PCS), goals, languages, availability, free texts
    (goals, path, decline reason).
  - a consent is its kind, the notice version and its dates, never who the parent is nor the
    confirmation link's token.
  - a binôme is its association, the two participants' numbers, status and dates, the end reason's
    code; never the suspension or end free texts, and never the messages (not in the admin at all).
- Associations: status read-only; "suspend" and "reactivate" are actions that call the services.
- Memberships: only the end date can be set (ending a coordinator's rights); they are created by
  sign-ups and invitations, never by hand, and never deleted.
- Logins: e-mail and name are shown because account support needs them; that is the only personal
  data of members the operator reads here.
- /admin/login/ authenticates through allauth, under the same failed-login limits as the public
  login (accounts/forms.py, accounts/adapter.py).
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from accounts.forms import AdminLoginForm
from accounts.models import User

# /admin/login/ counts failed logins with the public login's limiter (accounts/forms.py).
admin.site.login_form = AdminLoginForm


class _Labelled:
    """The object, shown under its pseudonymous label (its ``__str__`` carries names)."""

    def __init__(self, obj: object, label: str) -> None:
        self._obj, self._label = obj, label

    def __str__(self) -> str:
        return self._label

    def __getattr__(self, name: str) -> object:
        return getattr(self._obj, name)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Seen, never added, changed or deleted from the admin (see the module docstring). Pages
    name the object by ``label(obj)`` (a number), never by its ``__str__`` (a person's name)."""

    def label(self, obj: object) -> str:
        return f"n°{obj.pk}"  # type: ignore[attr-defined]

    def _relabel(self, response, obj: object | None):  # noqa: ANN001, ANN202
        context = getattr(response, "context_data", None)
        if context is not None and obj is not None:
            for name in ("original", "object"):
                if name in context:
                    context[name] = _Labelled(obj, self.label(obj))
            context["subtitle"] = self.label(obj)
        return response

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):  # noqa: ANN001, ANN201
        return self._relabel(super().render_change_form(request, context, add, change, form_url, obj), obj)

    def history_view(self, request, object_id, extra_context=None):  # noqa: ANN001, ANN201
        response = super().history_view(request, object_id, extra_context)
        return self._relabel(response, self.get_object(request, object_id))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("email",)
    list_display = ("email", "first_name", "last_name", "is_staff", "is_active", "date_joined")
    search_fields = ("email", "first_name", "last_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Identité", {"fields": ("first_name", "last_name")}),
        ("Droits", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
