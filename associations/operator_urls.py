from django.urls import path
from django.views.generic import RedirectView

from associations import operator_views as views

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="operator_association_list"), name="operator_home"),
    path("associations/", views.operator_association_list, name="operator_association_list"),
    path("associations/<int:association_id>/", views.operator_association_detail, name="operator_association_detail"),
    path("associations/<int:association_id>/approuver/", views.operator_association_approve, name="operator_association_approve"),
    path("associations/<int:association_id>/refuser/", views.operator_association_refuse, name="operator_association_refuse"),
]
