from django.urls import path

from dashboards import views

urlpatterns = [
    path("coordination/<slug:slug>/tableau-de-bord/", views.association_dashboard, name="association_dashboard"),
    path("coordination/<slug:slug>/tableau-de-bord/indicateurs.csv", views.export_indicators, name="export_indicators"),
    path("coordination/<slug:slug>/tableau-de-bord/binomes.csv", views.export_binomes, name="export_binomes"),
    path("coordination/<slug:slug>/tableau-de-bord/exports/<int:export_id>/", views.export_file, name="export_file"),
    path("coordination/<slug:slug>/tableau-de-bord/exports/<int:export_id>/fichier/", views.export_file_download, name="export_file_download"),
    path("operateur/tableau-de-bord/", views.operator_dashboard, name="operator_dashboard"),
    path("operateur/tableau-de-bord/indicateurs.csv", views.export_indicators, name="operator_export_indicators"),
]
