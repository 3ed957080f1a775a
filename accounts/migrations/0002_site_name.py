"""Name the site "Mentorat": allauth's e-mails greet people with the site's name, and Django's
default row says "example.com"."""

from urllib.parse import urlparse

from django.conf import settings
from django.db import migrations


def name_site(apps, schema_editor):
    Site = apps.get_model("sites", "Site")
    domain = urlparse(settings.SITE_URL).netloc or "mentorat.localhost"
    Site.objects.using(schema_editor.connection.alias).update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain[:100], "name": "Mentorat"}
    )


def unname_site(apps, schema_editor):
    apps.get_model("sites", "Site").objects.using(schema_editor.connection.alias).filter(
        pk=settings.SITE_ID
    ).update(domain="example.com", name="example.com")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("sites", "0002_alter_domain_unique")]
    operations = [migrations.RunPython(name_site, unname_site)]
