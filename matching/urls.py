from django.urls import path

from matching import proposals_views, views

urlpatterns = [
    path("coordination/<slug:slug>/appariement/", views.matching_home, name="matching_home"),
    path("coordination/<slug:slug>/appariement/lancer/", views.match_run_launch, name="match_run_launch"),
    path("coordination/<slug:slug>/appariement/<int:run_id>/", views.match_run_detail, name="match_run_detail"),
    path("coordination/<slug:slug>/appariement/<int:run_id>/etat/", views.match_run_status, name="match_run_status"),
    path("coordination/<slug:slug>/appariement/<int:run_id>/relancer/", views.match_run_retry, name="match_run_retry"),
    path("coordination/<slug:slug>/appariement/reglages/", views.matching_settings, name="matching_settings"),
    path("coordination/<slug:slug>/propositions/", proposals_views.proposal_list, name="matching_proposals"),
    path("coordination/<slug:slug>/propositions/<int:proposal_id>/", proposals_views.proposal_detail, name="proposal_detail"),
    path("coordination/<slug:slug>/propositions/<int:proposal_id>/changer-de-mentor/", proposals_views.proposal_swap, name="proposal_swap"),
    path("coordination/<slug:slug>/propositions/<int:proposal_id>/approuver/", views.proposal_approve, name="proposal_approve"),
    path("coordination/<slug:slug>/propositions/<int:proposal_id>/refuser/", views.proposal_reject, name="proposal_reject"),
]
