"""Load the Decision 766 methodology as profile ``qd766`` v1 (in force since 1 August 2022)."""

import datetime as dt

from django.db import migrations


def load(apps, schema_editor):
    from motcua.scoreboard.indicators import INDICATORS
    from motcua.scoreboard.profiles import DEFAULT_DEFINITION, check_definition

    IndexProfile = apps.get_model("scoreboard", "IndexProfile")
    if IndexProfile.objects.filter(code="qd766").exists():
        return
    definition = check_definition(DEFAULT_DEFINITION, frozenset(INDICATORS))
    IndexProfile.objects.create(
        code="qd766",
        version=1,
        name="Quyết định 766/QĐ-TTg — cách tính của Cổng Dịch vụ công quốc gia",
        effective_from=dt.date(2022, 8, 1),
        definition=definition.model_dump(mode="json"),
        created_by="system:migration",
    )


def unload(apps, schema_editor):
    apps.get_model("scoreboard", "IndexProfile").objects.filter(code="qd766", version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("scoreboard", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
