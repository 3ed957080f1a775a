"""The programme selector of the coordinator's pages (issue 12): « Programme : Tous les programmes /
each programme the coordinator may see », read from ``?programme=<slug>``.

The choice only names a programme; the cut itself stays ``programmes.selectors.scope(...,
programme=)`` in each list's selector. What this module adds is the page's rule: an unknown slug, or
one the coordinator may not see, is a 404 (never a silent « all »); the selector is shown only when
the coordinator may see more than one programme; and on the association-wide doors (dashboards) a
coordinator restricted to some programmes has no « all » and gets their first programme instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists
from django.http import Http404, HttpRequest, QueryDict
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from associations.models import Association
from associations.selectors import acting_coordinator_memberships
from programmes.models import Programme, ProgrammeCoordinator
from programmes.selectors import programmes_for_coordinator

PARAM = "programme"

# Which pages offer « Tous les programmes » (``programme_pick(all_programmes=...)``):
ALL_ALWAYS = "always"  # the lists: every programme the coordinator may see, together
ALL_UNRESTRICTED = "unrestricted"  # association-wide figures (dashboards): never for a restricted coordinator
ALL_NEVER = "never"  # one programme's own page (its matching settings): always one programme


@dataclass(frozen=True)
class ProgrammePick:
    options: list[Programme]  # the programmes the coordinator may see, the default first
    selected: Programme | None  # None: every programme in ``options``
    restricted: bool  # the coordinator is restricted to some programmes
    all_allowed: bool  # « Tous les programmes » may be chosen on this page
    kept: list[tuple[str, str]] = field(default_factory=list)  # the page's other GET parameters

    @property
    def shown(self) -> bool:
        return len(self.options) > 1

    @property
    def slug(self) -> str:
        return self.selected.slug if self.selected else ""

    @property
    def all_label(self) -> str:
        # a restricted coordinator's « all » is only theirs: say so
        return str(_("Tous mes programmes") if self.restricted else _("Tous les programmes"))


def programme_pick(
    *, user: User, association: Association, slug: str = "", all_programmes: str = ALL_ALWAYS,
    query: QueryDict | None = None,
) -> ProgrammePick:
    """The programme chosen on a coordinator's page (``slug``, empty for all), among those ``user``
    may see. Http404 for a slug that is not one of them. ``all_programmes``: whether « all » may be
    chosen (see ALL_*); when it may not, an empty slug gives the coordinator's first programme (the
    association's default one if they may see it). ``query``: the page's GET parameters,
    kept (but the page number) when the programme changes. One query (the visible programmes and
    whether the coordinator is restricted, together)."""
    restrictions = ProgrammeCoordinator.objects.filter(
        membership__in=acting_coordinator_memberships().filter(user=user, association=association))
    options = list(
        programmes_for_coordinator(user=user, association=association)
        .annotate(coordinator_restricted=Exists(restrictions)).order_by("-is_default", "name", "pk")
    )
    restricted = bool(options) and options[0].coordinator_restricted
    selected = None
    if slug:
        selected = next((p for p in options if p.slug == slug), None)
        if selected is None:
            raise Http404  # another association's, one not given to this coordinator, or none
    all_allowed = all_programmes == ALL_ALWAYS or (all_programmes == ALL_UNRESTRICTED and not restricted)
    if selected is None and not all_allowed:
        selected = options[0] if options else None
        if selected is None:
            raise Http404
    kept = [(name, value) for name, values in (query or QueryDict()).lists() if name not in (PARAM, "page") for value in values]
    return ProgrammePick(options=options, selected=selected, restricted=restricted, all_allowed=all_allowed, kept=kept)


def programme_pick_from_request(request: HttpRequest, *, association: Association, all_programmes: str = ALL_ALWAYS) -> ProgrammePick:
    """``programme_pick`` of the request's ``?programme=`` (a page view's one call)."""
    return programme_pick(user=request.user, association=association, slug=request.GET.get(PARAM, "").strip(),  # type: ignore[arg-type]
                          all_programmes=all_programmes, query=request.GET)


def programme_for_action(*, user: User, association: Association, slug: str = "") -> Programme:
    """The programme an action applies to (a run to launch, settings to edit): the one named by
    ``slug`` if ``user`` may see it, else the coordinator's default one (the association's default
    programme if they may see it, their first programme otherwise); Http404 when there is none or
    the slug is not theirs. One query."""
    # compared here rather than in SQL: any text a client sends (a NUL byte too) is just "not one of them"
    visible = list(programmes_for_coordinator(user=user, association=association).order_by("-is_default", "name", "pk"))
    programme = next((p for p in visible if p.slug == slug), None) if slug else next(iter(visible), None)
    if programme is None:
        raise Http404
    return programme
