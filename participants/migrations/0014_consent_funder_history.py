from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('participants', '0013_participant_imported_at'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='consent',
            name='consent_once_per_version',
        ),
        migrations.AddConstraint(
            model_name='consent',
            constraint=models.UniqueConstraint(condition=models.Q(('kind__in', ['parent', 'funder']), _negated=True), fields=('participant', 'kind', 'notice_version'), name='consent_once_per_version'),
        ),
        migrations.AddConstraint(
            model_name='consent',
            constraint=models.UniqueConstraint(condition=models.Q(('kind', 'funder'), ('withdrawn_at__isnull', True)), fields=('participant', 'notice_version'), name='consent_one_standing_funder'),
        ),
    ]
