"""The imports' endpoints, included by ``api/urls.py`` under /api/v1/ (namespace ``api``)."""

from django.urls import path

from imports import api

A = "associations/<slug:slug>/imports/"

urlpatterns = [
    path(A, api.ImportListView.as_view(), name="imports"),
    path(A + "<id:job_id>/", api.ImportDetailView.as_view(), name="import"),
    path(A + "<id:job_id>/mapping/", api.ImportMappingView.as_view(), name="import-mapping"),
    path(A + "<id:job_id>/confirm/", api.ImportConfirmView.as_view(), name="import-confirm"),
]
