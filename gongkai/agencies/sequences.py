"""Numbers that are unique per agency and year and never reused (申请编号, 索引号)."""

from django.db import IntegrityError, models, transaction


def sequence_next(model: type[models.Model], *, field: str, **key) -> int:
    """Take the next number of the counter row ``model(**key)``, under a row lock.

    Call inside a transaction. The row is created on first use in its own
    savepoint, so two first users at once do not fail: the loser of the race
    waits for the winner's row and locks it like any later user.
    """
    if not model.objects.filter(**key).exists():
        try:
            with transaction.atomic():
                model.objects.create(**key)
        except IntegrityError:
            pass
    counter = model.objects.select_for_update().get(**key)
    setattr(counter, field, getattr(counter, field) + 1)
    counter.save(update_fields=[field])
    return getattr(counter, field)
