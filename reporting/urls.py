from django.urls import path

from reporting import views

urlpatterns = [
    path("coordination/<slug:slug>/rapport-financeurs/", views.coordination_report, name="funder_report"),
    path("coordination/<slug:slug>/rapport-financeurs/rapport.xlsx", views.coordination_report_xlsx, name="funder_report_xlsx"),
    path("coordination/<slug:slug>/rapport-financeurs/<slug:table>.csv", views.coordination_report_csv, name="funder_report_csv"),
    path("operateur/rapport-financeurs/", views.operator_report, name="operator_funder_report"),
    path("operateur/rapport-financeurs/rapport.xlsx", views.operator_report_xlsx, name="operator_funder_report_xlsx"),
    path("operateur/rapport-financeurs/<slug:table>.csv", views.operator_report_csv, name="operator_funder_report_csv"),
    path("coordination/<slug:slug>/participants/<int:participant_id>/formation/", views.mentor_training_record, name="mentor_training_record"),
    path("mon-espace/profil/<int:participant_id>/financeurs/", views.member_funder_questions, name="member_funder_questions"),
    path("consentement-parental/<str:token>/financeurs/", views.parent_funder_questions, name="parent_funder_questions"),
]
