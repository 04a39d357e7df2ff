from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_link_existing_entries"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="chain",
            field=models.CharField(editable=False, max_length=40, verbose_name="链"),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="seq",
            field=models.PositiveBigIntegerField(editable=False, verbose_name="链内序号"),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="prev_hash",
            field=models.CharField(editable=False, max_length=64, verbose_name="前一条哈希"),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="hash",
            field=models.CharField(editable=False, max_length=64, verbose_name="哈希"),
        ),
        migrations.AddConstraint(
            model_name="auditentry",
            constraint=models.UniqueConstraint(fields=("chain", "seq"), name="audit_entry_unique_seq"),
        ),
    ]
