"""Pages of the imports: for coordinators (upload, columns, dry run, confirmation, log) and for
the imported person (the invitation: password and consent)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from associations.selectors import association_get_for_coordinator
from imports import reader, selectors, services
from imports.forms import ConfirmForm, InvitationAnswerForm, InvitationForm, MappingForm, UploadForm
from imports.models import ImportJob
from mentorat.forms import apply_validation_error, posted_data
from participants import services as participant_services
from programmes.selectors import programmes_for_coordinator

REFRESH_SECONDS = 3
SAMPLE_ROWS = 3
# The report lists this many rows with errors on the page (the API gives them all).
SHOWN_ERRORS = 500


@login_required
@require_http_methods(["GET", "POST"])
def import_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The association's imports (the log) and the form to upload a new file."""
    association = association_get_for_coordinator(user=request.user, slug=slug)
    programmes = programmes_for_coordinator(user=request.user, association=association)
    form = UploadForm(posted_data(request), request.FILES or None, programmes=programmes)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.import_upload(association=association, by=request.user, file_name=upload.name, content=upload.read(),
                                         programme=form.cleaned_data["programme"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return redirect("import_detail", slug=slug, job_id=job.pk)
    jobs = selectors.import_list_for_coordinator(user=request.user, association=association)[:100]
    return render(request, "imports/list.html", {"association": association, "form": form, "jobs": jobs,
                                                 "waiting": selectors.invitations_waiting(association=association)})


def _mapping_form(job: ImportJob, data=None) -> MappingForm:  # noqa: ANN001
    samples = []
    if job.content:
        try:
            samples = [cells for _line, cells in services._sheet(job).rows[:SAMPLE_ROWS]]
        except reader.UnreadableFile:
            samples = []
    return MappingForm(data, headers=job.headers, mapping=job.mapping, samples=samples)


@login_required
def import_detail(request: HttpRequest, slug: str, job_id: int) -> HttpResponse:
    """One import, as far as it has gone: columns to check, progress (the page refreshes itself),
    the dry run's report to confirm, or the outcome."""
    association = association_get_for_coordinator(user=request.user, slug=slug)
    job = selectors.import_get_for_coordinator(user=request.user, association=association, job_id=job_id)
    context = {"association": association, "job": job, "refresh_seconds": REFRESH_SECONDS,
               "progress": selectors.import_progress(job), "working": job.status in ImportJob.WORKING}
    remap = request.GET.get("colonnes") == "1" and job.status in (ImportJob.Status.ANALYSED, ImportJob.Status.FAILED)
    if (job.status == ImportJob.Status.UPLOADED or remap) and job.content:
        context["mapping_form"] = _mapping_form(job)
    if job.status == ImportJob.Status.ANALYSED:
        context["confirm_form"] = ConfirmForm(error_rows=job.error_rows[:SHOWN_ERRORS])
        context["error_rows"] = job.error_rows[:SHOWN_ERRORS]
    return render(request, "imports/detail.html", context)


@login_required
@require_POST
def import_mapping(request: HttpRequest, slug: str, job_id: int) -> HttpResponse:
    association = association_get_for_coordinator(user=request.user, slug=slug)
    job = selectors.import_get_for_coordinator(user=request.user, association=association, job_id=job_id)
    form = _mapping_form(job, request.POST)
    if form.is_valid():
        try:
            services.import_map(job=job, by=request.user, mapping=form.mapping())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return redirect("import_detail", slug=slug, job_id=job.pk)
    return render(request, "imports/detail.html", {
        "association": association, "job": job, "mapping_form": form, "progress": 0, "working": False}, status=400)


@login_required
@require_POST
def import_confirm(request: HttpRequest, slug: str, job_id: int) -> HttpResponse:
    association = association_get_for_coordinator(user=request.user, slug=slug)
    job = selectors.import_get_for_coordinator(user=request.user, association=association, job_id=job_id)
    form = ConfirmForm(request.POST, error_rows=job.error_rows)
    if form.is_valid():
        skip = [row["line"] for row in job.error_rows] if "skip_all_errors" in request.POST else form.cleaned_data["skip"]
        try:
            services.import_confirm(job=job, by=request.user, skip_lines=skip)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("L'import est lancé : cette page indique son avancement."))
    else:
        messages.error(request, _("Choisissez les lignes à ignorer parmi celles qui ont une erreur."))
    return redirect("import_detail", slug=slug, job_id=job.pk)


@login_required
@require_POST
def import_invitations_resend(request: HttpRequest, slug: str) -> HttpResponse:
    association = association_get_for_coordinator(user=request.user, slug=slug)
    sent = services.import_invitations_resend(association=association, by=request.user)
    messages.success(request, ngettext("L'invitation a été renvoyée à %(n)s personne.",
                                       "L'invitation a été renvoyée à %(n)s personnes.", sent) % {"n": sent})
    return redirect("import_list", slug=slug)


@login_required
@require_POST
def import_abandon(request: HttpRequest, slug: str, job_id: int) -> HttpResponse:
    association = association_get_for_coordinator(user=request.user, slug=slug)
    job = selectors.import_get_for_coordinator(user=request.user, association=association, job_id=job_id)
    try:
        services.import_abandon(job=job, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Import abandonné : le fichier a été supprimé."))
    return redirect("import_list", slug=slug)


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, uidb36: str, key: str) -> HttpResponse:
    """The page an imported person reaches from their invitation: choose a password, accept the
    privacy notice. The link is allauth's password-reset key: used once, it no longer works."""
    user = selectors.invitation_user(uidb36=uidb36, key=key)
    if user is None:
        return render(request, "imports/invitation.html", {"invalid": True}, status=400)
    form = InvitationForm(posted_data(request), user=user)
    if request.method == "POST" and form.is_valid():
        participant_services.participant_invitation_accept(
            user=user, password=form.cleaned_data["password1"], privacy_accepted=form.cleaned_data["privacy_accepted"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("C'est fait : ton compte est prêt. Bienvenue !"))
        return redirect("my_space")
    return render(request, "imports/invitation.html", {"form": form, "invited": user})


@login_required
@require_http_methods(["GET", "POST"])
def invitation_answer(request: HttpRequest) -> HttpResponse:
    """The invitation's answer for someone who chose their password with "mot de passe oublié"
    instead of the invitation's link: logged in, they still accept the privacy notice (the next
    login brings them here: ``mentorat.views.after_login``)."""
    if not selectors.invitation_waiting_for(user=request.user):
        return redirect("my_space")
    form = InvitationAnswerForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        participant_services.participant_invitation_accept(user=request.user, password=None,
                                                           privacy_accepted=form.cleaned_data["privacy_accepted"])
        messages.success(request, _("C'est fait : ton compte est prêt. Bienvenue !"))
        return redirect("my_space")
    return render(request, "imports/invitation.html", {"form": form, "invited": request.user, "answer_only": True})
