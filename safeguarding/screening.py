"""Screening of every text one member writes for another, and what the other member is shown.

Every path that stores such a text calls ``screen_text`` and, when it is flagged, records a
``TextReview`` through ``safeguarding.services.text_review_open``:

| text                       | written by          | partner reads it in                      |
|----------------------------|---------------------|------------------------------------------|
| message                    | ``message_send``    | the binôme page, ``/binomes/<id>/messages/`` |
| ``goals_text``, ``path_text`` | sign-up, profile edit (page and API) | the binôme page            |
| meeting note               | ``meeting_log`` (page and API) | ``/binomes/<id>/meetings/``      |

Monthly check-in comments and the end survey are not screened: the partner never reads them (a
member sees only their own check-ins; the end survey has no free text), only the team does.

``text_visible_to`` is the one answer to "may this text be shown to this person": its name is
stable (``safeguarding.policy`` re-exports it). ``displayed_text`` applies it for a template or a
serializer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from binomes.safeguarding import ContactFinding, detect_contact_details_in_sequence

if TYPE_CHECKING:
    from associations.models import Association
    from safeguarding.models import TextReview


@dataclass(frozen=True)
class Screening:
    """What the detector found in a text and whether the association holds it."""

    findings: tuple[ContactFinding, ...]
    held: bool

    @property
    def flagged(self) -> bool:
        return bool(self.findings)

    @property
    def kinds(self) -> list[str]:
        return sorted({f.kind for f in self.findings})

    @property
    def reasons(self) -> list[str]:
        return list(dict.fromkeys(f.reason_fr for f in self.findings))


def screen_text(*, text: str, association: Association, previous: Sequence[str] = ()) -> Screening:
    """Screen ``text`` for contact details. ``previous``: the same author's texts sent just before
    (consecutive messages), so that a number split across them is caught on this one. A flagged
    text is held when the association holds flagged texts (``hold_flagged_messages``)."""
    findings = tuple(detect_contact_details_in_sequence(text or "", previous=previous))
    return Screening(findings=findings, held=bool(findings) and association.hold_flagged_messages)


def text_visible_to(*, review: TextReview | None, author_id: int, viewer_id: int, viewer_is_coordinator: bool) -> bool:
    """May the text reach this viewer? Its author and the association's coordinators always see
    it; anyone else (the other member) only when no review hides it: a held text still pending, or
    a refused one, never reaches them."""
    if viewer_id == author_id or viewer_is_coordinator:
        return True
    return review is None or not review.hides_text


def placeholder_for(review: TextReview) -> str:
    from safeguarding.models import TextReview

    if review.status == TextReview.Status.REFUSED:
        return _("Texte retiré par l'équipe de l'association.")
    return _("Texte en cours de relecture par l'équipe.")


def displayed_text(*, text: str, review: TextReview | None, author_id: int, viewer_id: int, viewer_is_coordinator: bool) -> str:
    """The text itself, or the neutral placeholder the other member sees instead."""
    if text and review is not None and not text_visible_to(
        review=review, author_id=author_id, viewer_id=viewer_id, viewer_is_coordinator=viewer_is_coordinator
    ):
        return placeholder_for(review)
    return text


def author_notice(review: TextReview | None) -> str:
    """What the author is told about their flagged text (tutoiement: members are young)."""
    from safeguarding.models import TextReview

    if review is None:
        return ""
    what = ", ".join(review.reasons)
    if review.status == TextReview.Status.REFUSED:
        return _("L'équipe n'a pas transmis ce texte (%(what)s). Sa raison : %(reason)s") % {
            "what": what, "reason": review.refusal_reason}
    if review.status == TextReview.Status.PENDING and review.held:
        return _("Ce texte contient %(what)s : pour la sécurité de tous, il attend la relecture de l'équipe avant d'être montré. "
                 "Les coordonnées personnelles ne s'échangent pas ici.") % {"what": what}
    if review.status == TextReview.Status.PENDING:
        return _("Ce texte contient %(what)s : il a été signalé à l'équipe. Les coordonnées personnelles ne s'échangent pas ici.") % {
            "what": what}
    return ""
