from django.urls import path

from binomes import closing_views, views

urlpatterns = [
    path("mon-espace/binomes/", views.my_binomes, name="my_binomes"),
    path("mon-espace/binomes/<int:binome_id>/", views.binome_detail, name="binome_detail"),
    path("mon-espace/binomes/<int:binome_id>/messages/", views.conversation, name="binome_conversation"),
    path("mon-espace/binomes/<int:binome_id>/signaler/", views.report, name="binome_report"),
    path("mon-espace/binomes/<int:binome_id>/rencontre/", views.log_meeting, name="binome_meeting"),
    path("mon-espace/binomes/<int:binome_id>/nouvelles/", views.check_in, name="binome_check_in"),
    path("mon-espace/binomes/<int:binome_id>/arreter/", views.end_early, name="binome_end_early"),
    path("mon-espace/binomes/<int:binome_id>/bilan/", views.end_survey, name="binome_end_survey"),
    path("coordination/<slug:slug>/binomes/", views.coordination_binomes, name="coordination_binomes"),
    path("coordination/<slug:slug>/binomes/<int:binome_id>/", views.coordination_binome_detail, name="coordination_binome_detail"),
    # The closing step (binomes.closing_views), before the generic action pattern below.
    path("coordination/<slug:slug>/binomes/cloture-a-faire/", closing_views.closing_todo_list, name="binome_closing_todo"),
    path("coordination/<slug:slug>/binomes/<int:binome_id>/cloture/", closing_views.closing_detail, name="binome_closing"),
    path("coordination/<slug:slug>/binomes/<int:binome_id>/cloture/<slug:action>/", closing_views.closing_action, name="binome_closing_action"),
    path("coordination/<slug:slug>/binomes/<int:binome_id>/<slug:action>/", views.coordination_binome_action, name="coordination_binome_action"),
]
