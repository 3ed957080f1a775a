from django.urls import path

from programmes import views

urlpatterns = [
    path("coordination/<slug:slug>/programmes/", views.programme_list, name="programme_list"),
    path("coordination/<slug:slug>/programmes/nouveau/", views.programme_new, name="programme_new"),
    path("coordination/<slug:slug>/programmes/cohortes/", views.cohort_comparison, name="cohort_comparison"),
    path("coordination/<slug:slug>/programmes/equipe/<int:membership_id>/", views.coordinator_programmes, name="coordinator_programmes"),
    path("coordination/<slug:slug>/programmes/<slug:programme_slug>/", views.programme_edit, name="programme_edit"),
]
