from django.urls import path

from imports import views

urlpatterns = [
    path("coordination/<slug:slug>/imports/", views.import_list, name="import_list"),
    path("coordination/<slug:slug>/imports/<int:job_id>/", views.import_detail, name="import_detail"),
    path("coordination/<slug:slug>/imports/<int:job_id>/colonnes/", views.import_mapping, name="import_mapping"),
    path("coordination/<slug:slug>/imports/<int:job_id>/confirmer/", views.import_confirm, name="import_confirm"),
    path("coordination/<slug:slug>/imports/<int:job_id>/abandonner/", views.import_abandon, name="import_abandon"),
    path("coordination/<slug:slug>/imports/invitations/", views.import_invitations_resend, name="import_invitations_resend"),
    path("mon-espace/invitation/", views.invitation_answer, name="import_invitation_answer"),
    path("invitation/<str:uidb36>/<str:key>/", views.invitation, name="import_invitation"),
]
