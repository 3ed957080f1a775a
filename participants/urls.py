from django.urls import path

from participants import views

urlpatterns = [
    path("a/<slug:slug>/inscription/<slug:role_slug>/", views.participant_sign_up, name="participant_sign_up"),
    # One programme's own sign-up link (the association's above leads to its default programme).
    path("a/<slug:slug>/programmes/<slug:programme_slug>/inscription/<slug:role_slug>/", views.participant_sign_up,
         name="programme_sign_up"),
    path("inscription/confirme-ton-adresse/", views.sign_up_check_email, name="sign_up_check_email"),
    path("mon-espace/", views.my_space, name="my_space"),
    path("consentement-parental/<str:token>/", views.parental_consent, name="parental_consent"),
    path("coordination/<slug:slug>/participants/<int:participant_id>/accord-parental/", views.coordination_parental_consent_resend, name="coordination_parental_consent_resend"),
    path("mon-espace/profil/<int:participant_id>/", views.profile_edit, name="profile_edit"),
    path("coordination/<slug:slug>/participants/", views.coordination_participants, name="coordination_participants"),
    path("coordination/<slug:slug>/participants/<int:participant_id>/", views.coordination_participant_detail, name="coordination_participant_detail"),
    path("coordination/<slug:slug>/participants/<int:participant_id>/valider/", views.coordination_participant_validate, name="coordination_participant_validate"),
    path("coordination/<slug:slug>/participants/<int:participant_id>/refuser/", views.coordination_participant_decline, name="coordination_participant_decline"),
    path("coordination/<slug:slug>/participants/<int:participant_id>/attestation/", views.coordination_participant_vetting, name="coordination_participant_vetting"),
]
