from django.urls import path

from agenda import views

urlpatterns = [
    path("mon-espace/binomes/<int:binome_id>/rendez-vous/", views.binome_meetings, name="agenda_binome_meetings"),
    path("mon-espace/binomes/<int:binome_id>/rendez-vous/<int:planned_id>/autre-moment/", views.planned_reschedule,
         name="agenda_planned_reschedule"),
    path("mon-espace/binomes/<int:binome_id>/rendez-vous/<int:planned_id>/rendez-vous.ics", views.planned_ics, name="agenda_planned_ics"),
    path("mon-espace/binomes/<int:binome_id>/rendez-vous/<int:planned_id>/<slug:action>/", views.planned_action,
         name="agenda_planned_action"),
    path("mon-espace/agenda/", views.feed_settings, name="agenda_feed_settings"),
    path("agenda/flux/<str:token>.ics", views.feed, name="agenda_feed"),
    path("coordination/<slug:slug>/binomes/<int:binome_id>/rendez-vous/", views.coordination_meetings, name="agenda_coordination_meetings"),
    path("coordination/<slug:slug>/lieux/", views.coordination_places, name="agenda_coordination_places"),
]
