from django.urls import path

from api import pages

urlpatterns = [
    path("coordination/<slug:slug>/api/", pages.api_tokens, name="api_tokens"),
    path("coordination/<slug:slug>/api/<int:token_id>/revoquer/", pages.api_token_revoke, name="api_token_revoke"),
]
