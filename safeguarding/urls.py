from django.urls import path

from safeguarding import views

urlpatterns = [
    path("coordination/<slug:slug>/textes-retenus/", views.held_texts, name="coordination_held_texts"),
    path("coordination/<slug:slug>/textes-retenus/<int:review_id>/<slug:action>/", views.held_text_decide, name="coordination_held_text_decide"),
]
