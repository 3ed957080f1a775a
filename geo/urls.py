from django.urls import path

from geo import views

urlpatterns = [path("communes/", views.commune_options, name="commune_options")]
