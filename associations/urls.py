from django.urls import path

from associations import views

urlpatterns = [
    path("associations/inscription/", views.association_register, name="association_register"),
    path("associations/inscription/merci/", views.association_register_done, name="association_register_done"),
    path("a/<slug:slug>/", views.association_public, name="association_public"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("coordination/<slug:slug>/", views.coordination_home, name="coordination_home"),
    path("coordination/<slug:slug>/lien-partage/", views.coordination_link_shared, name="coordination_link_shared"),
    path("coordination/<slug:slug>/parametres/", views.coordination_settings, name="coordination_settings"),
    path("coordination/<slug:slug>/equipe/", views.coordination_team, name="coordination_team"),
]
