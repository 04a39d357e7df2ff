"""Identity numbers are encrypted at rest, readable by the application, and compared through their digest."""

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import connection

from gongkai.applications.crypto import CANNOT_COMPARE, identity_digest
from gongkai.applications.models import Application
from gongkai.applications.workflow import monthly_ordinal

NUMBER = "11010519491231002X"


def _app(agency, number=NUMBER, **extra):
    from datetime import date

    return Application.objects.create(agency=agency, applicant_type="natural_person", applicant_name="赵六",
                                      identity_number=number, channel="in_person",
                                      received_on=extra.pop("received_on", date(2025, 3, 3)), **extra)


def _stored(pk):
    with connection.cursor() as cursor:
        cursor.execute("SELECT identity_number, identity_digest FROM applications_application WHERE id = %s", [pk])
        return cursor.fetchone()


@pytest.mark.django_db
class TestAtRest:
    def test_the_column_holds_no_plain_number(self, agency):
        app = _app(agency)
        stored, digest = _stored(app.pk)
        assert NUMBER not in stored and "1949" not in stored and stored.startswith("gAAAA")
        assert digest == identity_digest(NUMBER) and len(digest) == 64 and NUMBER not in digest
        assert Application.objects.get(pk=app.pk).identity_number == NUMBER
        assert Application.objects.values_list("identity_number", flat=True).get() == NUMBER

    def test_equal_numbers_differ_in_the_column_but_share_the_digest(self, agency):
        a, b = _app(agency), _app(agency, number=NUMBER.lower())
        (sa, da), (sb, db) = _stored(a.pk), _stored(b.pk)
        assert sa != sb and da == db

    def test_bulk_create_encrypts_and_digests_too(self, agency):
        from datetime import date

        [app] = Application.objects.bulk_create([Application(
            agency=agency, applicant_type="natural_person", applicant_name="钱七", identity_number=NUMBER,
            channel="in_person", received_on=date(2025, 3, 3))])
        stored, digest = _stored(Application.objects.get().pk)
        assert NUMBER not in stored and digest == identity_digest(NUMBER)

    def test_an_empty_number_stays_empty(self, agency):
        app = _app(agency, number="")
        assert _stored(app.pk) == ("", "")
        assert Application.objects.filter(identity_number="").count() == 1

    def test_comparing_the_encrypted_column_is_refused(self, agency):
        _app(agency)
        with pytest.raises(TypeError, match=CANNOT_COMPARE):
            Application.objects.filter(identity_number=NUMBER)
        with pytest.raises(FieldError):
            Application.objects.filter(identity_number__icontains="1949")
        assert Application.objects.filter(identity_digest=identity_digest(NUMBER)).count() == 1

    def test_fees_count_the_same_applicant_through_the_digest(self, agency):
        from datetime import date

        first = _app(agency, received_on=date(2025, 3, 3))
        _app(agency, number="350322198505050017", received_on=date(2025, 3, 4))
        third = _app(agency, number=NUMBER.lower(), received_on=date(2025, 3, 5))
        assert monthly_ordinal(first) == 1 and monthly_ordinal(third) == 2

    def test_old_keys_still_decrypt_after_rotation(self, agency, settings):
        app = _app(agency)
        old = list(settings.GONGKAI_DATA_KEYS)
        settings.GONGKAI_DATA_KEYS = [Fernet.generate_key().decode(), *old]
        assert Application.objects.get(pk=app.pk).identity_number == NUMBER

    def test_without_the_key_reading_fails_loudly(self, agency, settings):
        app = _app(agency)
        settings.GONGKAI_DATA_KEYS = [Fernet.generate_key().decode()]
        with pytest.raises(ImproperlyConfigured, match="密钥丢失或被更换"):
            Application.objects.get(pk=app.pk)


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_existing_numbers(agency):
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("applications", "0003_tracking_code")])
    with connection.cursor() as cursor:
        for number in (NUMBER, " 350322 198505050017 ", ""):
            cursor.execute(
                "INSERT INTO applications_application (agency_id, status, applicant_type, applicant_name,"
                " organisation_name, legal_representative, identity_type, identity_number, phone, email, address,"
                " postal_code, channel, description, document_hint, delivery_form, delivery_method,"
                " extension_days, due_confirmed, outcome, legal_basis, reply_summary, delivered_by, delivery_proof)"
                " VALUES (%s, 'registered', 'natural_person', '赵六', '', '', 'resident_id', %s, '', '', '', '',"
                " 'in_person', '', '', '', '', 0, %s, '', '', '', '', '')", [agency.pk, number, True])
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes("applications"))
    numbers = sorted(Application.objects.values_list("identity_number", flat=True))
    assert numbers == ["", NUMBER, "350322198505050017"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT identity_number FROM applications_application")
        assert not any("1949" in row[0] or "1985" in row[0] for row in cursor.fetchall())
    assert Application.objects.filter(identity_digest=identity_digest("350322198505050017")).count() == 1


@pytest.mark.django_db
def test_rekey_moves_every_number_to_the_new_key(agency, settings):
    from io import StringIO

    from django.core.management import call_command

    first, second = _app(agency), _app(agency, number="350322198505050017")
    old = list(settings.GONGKAI_DATA_KEYS)
    settings.GONGKAI_DATA_KEYS = [Fernet.generate_key().decode(), *old]
    out = StringIO()
    call_command("rekey", stdout=out)  # not the console script, which closes the test's connection
    assert "已重新加密 2 个证件号码" in out.getvalue()
    settings.GONGKAI_DATA_KEYS = settings.GONGKAI_DATA_KEYS[:1]  # the old key is gone
    assert Application.objects.get(pk=first.pk).identity_number == NUMBER
    assert Application.objects.get(pk=second.pk).identity_digest == identity_digest("350322198505050017")
    assert monthly_ordinal(Application.objects.get(pk=first.pk)) == 1
