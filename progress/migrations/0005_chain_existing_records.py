"""Put the completion records written before the chain existed into it, oldest first."""

from django.db import migrations


def chain_existing(apps, schema_editor):
    from django.utils import timezone  # noqa: PLC0415

    from progress.chain import (  # noqa: PLC0415
        COMPLETION,
        GENESIS,
        canonical,
        completion_content,
        entry_digest,
        sha256,
    )

    chain_entry = apps.get_model("progress", "ChainEntry")
    records = (
        apps.get_model("progress", "CompletionRecord")
        .objects.select_related("learner", "course", "journey")
        .order_by("completed_at", "id")
    )
    previous = GENESIS
    recorded_at = timezone.now().replace(microsecond=0)
    for sequence, record in enumerate(records, start=1):
        # completion_content reads attributes only: the historical model serves as well.
        text = canonical(completion_content(record))
        content_hash = sha256(text)
        digest = entry_digest(
            sequence=sequence, kind=COMPLETION, subject=str(record.public_id),
            content_hash=content_hash, previous_hash=previous, recorded_at=recorded_at,
        )  # fmt: skip
        chain_entry.objects.create(
            sequence=sequence, kind=COMPLETION, subject=record.public_id, content=text,
            content_hash=content_hash, previous_hash=previous, entry_hash=digest,
            recorded_at=recorded_at,
        )  # fmt: skip
        previous = digest


class Migration(migrations.Migration):
    dependencies = [("progress", "0004_chain_entries")]
    operations = [migrations.RunPython(chain_existing, migrations.RunPython.noop)]
