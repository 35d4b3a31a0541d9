import django.db.models.deletion
from django.db import migrations, models


def fill_family(apps, schema_editor):
    Addendum = apps.get_model("recording", "Addendum")
    for addendum in Addendum.objects.select_related("note").only("pk", "note__family_id").iterator():
        Addendum.objects.filter(pk=addendum.pk).update(family_id=addendum.note.family_id)


class Migration(migrations.Migration):

    dependencies = [
        ("recording", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="addendum",
            name="family",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="case_note_addenda", to="people.family"),
        ),
        migrations.RunPython(fill_family, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="addendum",
            name="family",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="case_note_addenda",
                                    to="people.family"),
        ),
        migrations.AlterField(
            model_name="addendum",
            name="text",
            field=models.TextField(blank=True),
        ),
    ]
