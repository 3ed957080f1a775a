from django.urls import path

from privacy import views

urlpatterns = [
    path("mon-espace/mes-donnees/", views.my_data, name="privacy_my_data"),
    path("mon-espace/mes-donnees/export.json", views.my_data_export, {"fmt": "json"}, name="privacy_export_json"),
    path("mon-espace/mes-donnees/export/", views.my_data_export, {"fmt": "html"}, name="privacy_export_html"),
    path("mon-espace/mes-donnees/effacement/<int:participant_id>/", views.my_erasure_request, name="privacy_erasure_request"),
    path("mes-donnees/parent/<str:token>/", views.parent_data, name="privacy_parent_data"),
    path("coordination/<slug:slug>/donnees-personnelles/", views.coordination_requests, name="privacy_coordination"),
    path("coordination/<slug:slug>/donnees-personnelles/conservation/", views.coordination_retention, name="privacy_coordination_retention"),
    path("coordination/<slug:slug>/donnees-personnelles/<int:request_id>/<slug:action>/", views.coordination_decide,
         name="privacy_coordination_decide"),
    path("confidentialite/accepter/", views.notice_accept, name="privacy_notice_accept"),
    path("confidentialite/jeunes/", views.notice_young, name="privacy_notice_young"),
]
