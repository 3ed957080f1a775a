"""Reads of the imports, scoped to what the acting coordinator may see."""

from __future__ import annotations

from allauth.account.forms import default_token_generator
from allauth.account.utils import url_str_to_user_pk, user_pk_to_url_str
from django.core.cache import cache
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse

from accounts.models import User
from associations.models import Association
from imports.models import ImportJob


def _jobs(user: User, association: Association) -> QuerySet[ImportJob]:
    """The association's imports into the programmes ``user`` may see (programmes.selectors.scope)."""
    from programmes.selectors import scope

    return scope(ImportJob.objects.filter(association=association), user=user, association=association)


def import_list_for_coordinator(*, user: User, association: Association) -> QuerySet[ImportJob]:
    """The association's imports, newest first (the log), of the programmes ``user`` may see.
    Precondition: the caller resolved the association with ``association_get_for_coordinator``
    (another association's is a 404)."""
    return (_jobs(user, association).select_related("programme", "uploaded_by", "confirmed_by")
            .defer("content", "report").order_by("-created_at", "-id"))


def import_get_for_coordinator(*, user: User, association: Association, job_id: int) -> ImportJob:
    """One import of the association into a programme ``user`` may see (Http404 otherwise: another
    association's, or a programme a restricted coordinator doesn't see)."""
    return get_object_or_404(_jobs(user, association).select_related("programme", "uploaded_by", "confirmed_by").defer("content"),
                             pk=job_id)


def invitations_waiting(*, association: Association) -> int:
    """How many imported people of the association have not answered their invitation yet."""
    from participants.models import Participant

    return Participant.objects.filter(association=association, invitation_pending=True).count()


def invitation_waiting_for(*, user: User) -> bool:
    """Whether ``user`` was imported and has not answered their invitation yet."""
    from participants.models import Participant

    return Participant.objects.filter(membership__user=user, invitation_pending=True).exists()


def progress_key(job_id: int) -> str:
    return f"imports:progress:{job_id}"


def import_progress(job: ImportJob) -> int:
    """Percentage of the rows the worker has gone through (analysis or import). Written to the
    cache by the worker: the import runs in one transaction, whose own writes nobody sees before it ends."""
    if job.status not in ImportJob.WORKING or not job.rows_total:
        return 100 if job.status in (ImportJob.Status.ANALYSED, ImportJob.Status.DONE) else 0
    done = cache.get(progress_key(job.pk)) or 0
    return min(99, int(100 * done / job.rows_total))


def invitation_path(user: User) -> str:
    """The invitation link: allauth's password-reset key (``default_token_generator``), which
    expires after ``PASSWORD_RESET_TIMEOUT`` and stops working once the password is set."""
    return reverse("import_invitation", args=[user_pk_to_url_str(user), default_token_generator.make_token(user)])


def invitation_user(*, uidb36: str, key: str) -> User | None:
    """The person a still-valid invitation link was sent to, else ``None``."""
    try:
        pk = url_str_to_user_pk(uidb36)
    except (ValueError, TypeError):
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, key):
        return None
    return user
