import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    # Consent points at AUTH_USER_MODEL, which may be a project's own model that itself
    # needs Room (0001): so it comes in a migration of its own, after the user model.
    dependencies = [
        ("istok_accounts", "0002_seed_rooms"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Consent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('purpose', models.CharField(choices=[('personal_data', 'Personal data processing'), ('newsletter', 'Newsletter')], max_length=32, verbose_name='purpose')),
                ('policy_version', models.CharField(blank=True, max_length=32, verbose_name='policy version')),
                ('given_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='given at')),
                ('withdrawn_at', models.DateTimeField(blank=True, null=True, verbose_name='withdrawn at')),
                ('ip_address', models.GenericIPAddressField(blank=True, null=True, verbose_name='IP address')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='istok_consents', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'consent',
                'verbose_name_plural': 'consents',
                'ordering': ['-given_at', '-pk'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('withdrawn_at__isnull', True)), fields=('user', 'purpose'), name='istok_accounts_consent_one_active_per_purpose')],
            },
        ),
    ]
