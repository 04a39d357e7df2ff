import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    """The hash chain's fields, empty for now; 0003 links the existing entries, 0004 makes the fields required."""

    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditChain",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(max_length=40, unique=True, verbose_name="链")),
                ("length", models.PositiveBigIntegerField(default=0, verbose_name="记录数")),
                ("head", models.CharField(default="0" * 64, max_length=64, verbose_name="末条哈希")),
            ],
            options={"verbose_name": "操作记录哈希链", "verbose_name_plural": "操作记录哈希链", "ordering": ["key"]},
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="时间"),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="chain",
            field=models.CharField(editable=False, max_length=40, null=True, verbose_name="链"),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="seq",
            field=models.PositiveBigIntegerField(editable=False, null=True, verbose_name="链内序号"),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="prev_hash",
            field=models.CharField(editable=False, max_length=64, null=True, verbose_name="前一条哈希"),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="hash",
            field=models.CharField(editable=False, max_length=64, null=True, verbose_name="哈希"),
        ),
    ]
