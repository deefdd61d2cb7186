"""SigningKey.algorithm: keys made so far are Ed25519 ("EdDSA"); new ones are RSA ("RS256").

The field is added with the default "EdDSA", which fills the existing rows, then its default
becomes "RS256" (a change of the Python default only: no SQL)."""

from django.db import migrations, models

CHOICES = [("RS256", "RS256 (RSA, SHA-256)"), ("EdDSA", "EdDSA (Ed25519)")]
HELP_TEXT = "The JWS algorithm of everything this key signs."


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0006_cpd_profile_audits"),
    ]

    operations = [
        migrations.AddField(
            model_name="signingkey",
            name="algorithm",
            field=models.CharField(
                choices=CHOICES,
                default="EdDSA",
                help_text=HELP_TEXT,
                max_length=8,
                verbose_name="algorithm",
            ),
        ),
        migrations.AlterField(
            model_name="signingkey",
            name="algorithm",
            field=models.CharField(
                choices=CHOICES,
                default="RS256",
                help_text=HELP_TEXT,
                max_length=8,
                verbose_name="algorithm",
            ),
        ),
    ]
