"""The API, under /api/v1/ (see mentorat/urls.py)."""

from __future__ import annotations

from csp.decorators import csp_update
from django.urls import include, path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api.docs import API_DESCRIPTION
from api.views import (
    agenda,
    associations,
    binomes,
    dashboards,
    held_texts,
    matching,
    me,
    participants,
    programmes,
)
from reporting import api as reporting

app_name = "api"


class IdConverter:
    """A database id: at most 18 digits, so an absurd id is a 404, never an integer overflow
    in the database (500)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")

A = "associations/<slug:slug>/"
B = "binomes/<id:binome_id>/"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(api_version="v1", custom_settings={"DESCRIPTION": API_DESCRIPTION}), name="schema"),
    # The "split" view serves Swagger UI's start-up script as a file: no inline script (CSP).
    path("docs/", csp_update({"style-src": ["'unsafe-inline'"]})(SpectacularSwaggerSplitView.as_view(url_name="api:schema")), name="docs"),
    path("me/", me.MeView.as_view(), name="me"),
    path("me/profiles/<id:participant_id>/", me.ProfileView.as_view(), name="me-profile"),
    path("associations/", associations.AssociationListView.as_view(), name="associations"),
    path(A, associations.ProgrammeView.as_view(), name="association"),
    path(A + "matching-settings/", associations.MatchingSettingsView.as_view(), name="matching-settings"),
    path(A + "programmes/<slug:programme_slug>/questions/", programmes.QuestionListView.as_view(), name="programme-questions"),
    path(A + "programmes/<slug:programme_slug>/questions/<id:question_id>/", programmes.QuestionDetailView.as_view(),
         name="programme-question"),
    path(A + "participants/", participants.ParticipantListView.as_view(), name="participants"),
    path(A + "participants/<id:participant_id>/", participants.ParticipantDetailView.as_view(), name="participant"),
    path(A + "participants/<id:participant_id>/validate/", participants.ParticipantValidateView.as_view(), name="participant-validate"),
    path(A + "participants/<id:participant_id>/decline/", participants.ParticipantDeclineView.as_view(), name="participant-decline"),
    path(A + "participants/<id:participant_id>/vetting/", participants.ParticipantVettingView.as_view(), name="participant-vetting"),
    path(A + "match-runs/", matching.MatchRunListView.as_view(), name="match-runs"),
    path(A + "match-runs/<id:run_id>/", matching.MatchRunDetailView.as_view(), name="match-run"),
    path(A + "match-runs/<id:run_id>/unmatched/", matching.MatchRunUnmatchedView.as_view(), name="match-run-unmatched"),
    path(A + "match-runs/<id:run_id>/retry/", matching.MatchRunRetryView.as_view(), name="match-run-retry"),
    path(A + "proposals/", matching.ProposalListView.as_view(), name="proposals"),
    path(A + "proposals/bulk/", matching.ProposalBulkView.as_view(), name="proposals-bulk"),
    path(A + "proposals/<id:proposal_id>/", matching.ProposalDetailView.as_view(), name="proposal"),
    path(A + "proposals/<id:proposal_id>/approve/", matching.ProposalApproveView.as_view(), name="proposal-approve"),
    path(A + "proposals/<id:proposal_id>/reject/", matching.ProposalRejectView.as_view(), name="proposal-reject"),
    path(A + "binomes/", binomes.AssociationBinomeListView.as_view(), name="association-binomes"),
    path(A + "held-texts/", held_texts.HeldTextListView.as_view(), name="held-texts"),
    path(A + "held-texts/<id:review_id>/release/", held_texts.HeldTextReleaseView.as_view(), name="held-text-release"),
    path(A + "held-texts/<id:review_id>/refuse/", held_texts.HeldTextRefuseView.as_view(), name="held-text-refuse"),
    path(A + "indicators/", dashboards.AssociationIndicatorsView.as_view(), name="association-indicators"),
    path("indicators/", dashboards.OperatorIndicatorsView.as_view(), name="operator-indicators"),
    path(A + "funder-report/", reporting.AssociationReportView.as_view(), name="association-funder-report"),
    path(A + "funder-report/workbook/", reporting.AssociationReportWorkbookView.as_view(), name="association-funder-report-workbook"),
    path(A + "funder-report/tables/<slug:table>/csv/", reporting.AssociationReportCsvView.as_view(), name="association-funder-report-csv"),
    path("funder-report/", reporting.OperatorReportView.as_view(), name="operator-funder-report"),
    path("funder-report/workbook/", reporting.OperatorReportWorkbookView.as_view(), name="operator-funder-report-workbook"),
    path("funder-report/tables/<slug:table>/csv/", reporting.OperatorReportCsvView.as_view(), name="operator-funder-report-csv"),
    path("binomes/", binomes.MyBinomeListView.as_view(), name="binomes"),
    path(B, binomes.BinomeDetailView.as_view(), name="binome"),
    path(B + "end/", binomes.BinomeEndView.as_view(), name="binome-end"),
    path(B + "continue/", binomes.BinomeContinueView.as_view(), name="binome-continue"),
    path(B + "suspend/", binomes.BinomeSuspendView.as_view(), name="binome-suspend"),
    path(B + "resume/", binomes.BinomeResumeView.as_view(), name="binome-resume"),
    path(B + "messages/", binomes.MessageListView.as_view(), name="binome-messages"),
    path(B + "reports/", binomes.ReportCreateView.as_view(), name="binome-reports"),
    path(B + "meetings/", binomes.MeetingListView.as_view(), name="binome-meetings"),
    path(B + "check-ins/", binomes.CheckInListView.as_view(), name="binome-check-ins"),
    path(B + "end-survey/", binomes.EndSurveyView.as_view(), name="binome-end-survey"),
    path(B + "planned-meetings/", agenda.PlannedMeetingListView.as_view(), name="binome-planned-meetings"),
    path(B + "planned-meetings/<id:planned_id>/", agenda.PlannedMeetingDetailView.as_view(), name="binome-planned-meeting"),
    path(B + "planned-meetings/<id:planned_id>/accept/", agenda.PlannedMeetingAcceptView.as_view(), name="binome-planned-meeting-accept"),
    path(B + "planned-meetings/<id:planned_id>/reschedule/", agenda.PlannedMeetingRescheduleView.as_view(),
         name="binome-planned-meeting-reschedule"),
    path(B + "planned-meetings/<id:planned_id>/cancel/", agenda.PlannedMeetingCancelView.as_view(), name="binome-planned-meeting-cancel"),
    path(B + "planned-meetings/<id:planned_id>/outcome/", agenda.PlannedMeetingOutcomeView.as_view(), name="binome-planned-meeting-outcome"),
    path("", include("imports.api_urls")),
]
