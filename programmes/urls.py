from django.urls import path

from programmes import question_views, views

urlpatterns = [
    path("coordination/<slug:slug>/programmes/", views.programme_list, name="programme_list"),
    path("coordination/<slug:slug>/programmes/nouveau/", views.programme_new, name="programme_new"),
    path("coordination/<slug:slug>/programmes/cohortes/", views.cohort_comparison, name="cohort_comparison"),
    path("coordination/<slug:slug>/programmes/equipe/<int:membership_id>/", views.coordinator_programmes, name="coordinator_programmes"),
    path("coordination/<slug:slug>/programmes/<slug:programme_slug>/", views.programme_edit, name="programme_edit"),
    path("coordination/<slug:slug>/programmes/<slug:programme_slug>/questions/nouvelle/", question_views.question_new, name="question_new"),
    path("coordination/<slug:slug>/programmes/<slug:programme_slug>/questions/<int:question_id>/", question_views.question_edit,
         name="question_edit"),
    path("coordination/<slug:slug>/programmes/<slug:programme_slug>/questions/<int:question_id>/<str:action>/",
         question_views.question_action, name="question_action"),
    path("coordination/<slug:slug>/programmes/<slug:programme_slug>/participants.csv", views.participants_export,
         name="programme_participants_export"),
]
