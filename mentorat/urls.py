from django.contrib import admin
from django.urls import include, path

from mentorat import views

urlpatterns = [
    path("", views.home, name="home"),
    path("confidentialite/", views.privacy_notice, name="privacy_notice"),
    path("accessibilite/", views.accessibility_statement, name="accessibility_statement"),
    # Browsers ask for /favicon.ico whatever the page says: never a 404 in the logs.
    path("favicon.ico", views.favicon),
    path("espace/", views.after_login, name="after_login"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("comptes/", include("allauth.urls")),
    path("operateur/", include("associations.operator_urls")),
    path("", include("associations.urls")),
    path("", include("participants.urls")),
    path("", include("programmes.urls")),
    path("", include("geo.urls")),
    path("", include("matching.urls")),
    # Before binomes: its coordination/<slug>/binomes/<id>/<action>/ would swallow …/rendez-vous/.
    path("", include("agenda.urls")),
    path("", include("binomes.urls")),
    path("", include("safeguarding.urls")),
    path("", include("dashboards.urls")),
    path("", include("reporting.urls")),
    path("", include("privacy.urls")),
    path("", include("imports.urls")),
    path("api/v1/", include("api.urls")),
    path("", include("api.page_urls")),
    path("admin/", admin.site.urls),
]
