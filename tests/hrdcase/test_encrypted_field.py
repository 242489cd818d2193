"""EncryptedTextField and rotate_keys against the real test database."""

from __future__ import annotations

import base64
import secrets
import uuid
from io import StringIO
from typing import Any

import pytest
from django.core import checks
from django.core.exceptions import FieldError, ImproperlyConfigured, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, models, transaction
from django.test import override_settings
from django.test.utils import isolate_apps

from hrdcase import crypto
from hrdcase.crypto import DecryptionError
from hrdcase.fields import Ciphertext, EncryptedTextField, PlaintextWriteError, encrypt_for
from tests.testapp.models import Secret

NAME = "Ana María Quispe, Cusco"


def new_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


OLD_KEY = new_key()
NEW_KEY = new_key()


def _db_pk(pk: uuid.UUID) -> Any:
    return Secret._meta.pk.get_db_prep_value(pk, connection)


def raw_columns(pk: uuid.UUID) -> tuple[str | None, str | None]:
    """(secret, note) as stored, bypassing the ORM."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret, note FROM testapp_secret WHERE id = %s", [_db_pk(pk)])
        secret, note = cursor.fetchone()
    return secret, note


def write_raw_secret(pk: uuid.UUID, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE testapp_secret SET secret = %s WHERE id = %s", [value, _db_pk(pk)])


def write_raw_note(pk: uuid.UUID, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE testapp_secret SET note = %s WHERE id = %s", [value, _db_pk(pk)])


def tamper(token: str) -> str:
    """Flip one bit of the ciphertext (not of base64 padding bits, which decode to nothing)."""
    version, kid, payload = token.split(":")
    blob = bytearray(base64.urlsafe_b64decode(payload))
    blob[20] ^= 0x01
    return f"{version}:{kid}:{base64.urlsafe_b64encode(bytes(blob)).decode()}"


# --- storage ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_stores_no_plaintext_in_the_column() -> None:
    row = Secret.objects.create(label="a", secret=NAME, note="safe house in Lima")

    secret, note = raw_columns(row.pk)

    assert secret.startswith(f"v1:{crypto.active_key_id()}:")
    assert note.startswith(f"v1:{crypto.active_key_id()}:")
    for stored in (secret, note):
        assert "Quispe" not in stored
        assert "Lima" not in stored
    assert base64.urlsafe_b64encode(NAME.encode()).decode()[:12] not in secret


@pytest.mark.django_db
def test_it_round_trips_text_empty_and_null() -> None:
    row = Secret.objects.create(label="a", secret=NAME, note="")
    empty = Secret.objects.create(label="b", secret="", note=None)

    row = Secret.objects.get(pk=row.pk)
    empty = Secret.objects.get(pk=empty.pk)

    assert row.secret == NAME
    assert row.note == ""
    assert empty.secret == ""
    assert empty.note is None
    # "" is encrypted like any value; None stays NULL.
    assert raw_columns(empty.pk)[0].startswith("v1:")
    assert raw_columns(empty.pk)[1] is None


@pytest.mark.django_db
def test_it_decrypts_only_when_the_field_is_read() -> None:
    Secret.objects.create(label="a", secret=NAME)

    row = Secret.objects.get()
    assert isinstance(row.__dict__["secret"], Ciphertext)  # loaded, still encrypted

    assert row.secret == NAME
    assert row.__dict__["secret"] == NAME  # cached plaintext: no second decryption


@pytest.mark.django_db
def test_it_loads_a_deferred_field_decrypted() -> None:
    created = Secret.objects.create(label="a", secret=NAME)

    row = Secret.objects.only("label").get(pk=created.pk)

    assert row.secret == NAME


@pytest.mark.django_db
def test_it_returns_raw_tokens_from_values_list() -> None:
    Secret.objects.create(label="a", secret=NAME)

    (token,) = Secret.objects.values_list("secret", flat=True)

    assert isinstance(token, Ciphertext)
    assert token.startswith("v1:")


@pytest.mark.django_db
def test_it_saves_a_changed_value_encrypted() -> None:
    row = Secret.objects.create(label="a", secret=NAME)
    before = raw_columns(row.pk)[0]

    row.secret = "moved to Arequipa"
    row.save(update_fields=["secret"])

    after = raw_columns(row.pk)[0]
    assert after != before
    assert "Arequipa" not in after
    assert Secret.objects.get(pk=row.pk).secret == "moved to Arequipa"


# --- binding and integrity ----------------------------------------------------------------


@pytest.mark.django_db
def test_it_refuses_a_ciphertext_copied_into_another_row() -> None:
    alice = Secret.objects.create(label="alice", secret="Alice's address")
    bob = Secret.objects.create(label="bob", secret="Bob's address")

    write_raw_secret(bob.pk, raw_columns(alice.pk)[0])
    bob = Secret.objects.get(pk=bob.pk)

    with pytest.raises(DecryptionError) as excinfo:
        _ = bob.secret
    assert "address" not in str(excinfo.value)
    assert "testapp.Secret.secret" in str(excinfo.value)


@pytest.mark.django_db
def test_it_refuses_a_ciphertext_copied_into_another_column() -> None:
    row = Secret.objects.create(label="a", secret=NAME, note="x")

    write_raw_note(row.pk, raw_columns(row.pk)[0])

    with pytest.raises(DecryptionError):
        _ = Secret.objects.get(pk=row.pk).note


@pytest.mark.django_db
def test_it_refuses_a_tampered_ciphertext() -> None:
    row = Secret.objects.create(label="a", secret=NAME)

    write_raw_secret(row.pk, tamper(raw_columns(row.pk)[0]))

    with pytest.raises(DecryptionError, match="authentication failed"):
        _ = Secret.objects.get(pk=row.pk).secret


@pytest.mark.django_db
def test_it_refuses_a_token_relabelled_with_another_key_id() -> None:
    with override_settings(FIELD_ENCRYPTION_KEYS=f"old:{OLD_KEY},new:{NEW_KEY}"):
        row = Secret.objects.create(label="a", secret=NAME)
        write_raw_secret(row.pk, raw_columns(row.pk)[0].replace("v1:old:", "v1:new:", 1))

        with pytest.raises(DecryptionError, match="'new'"):
            _ = Secret.objects.get(pk=row.pk).secret


@pytest.mark.django_db
def test_it_refuses_a_value_whose_key_is_unknown() -> None:
    with override_settings(FIELD_ENCRYPTION_KEYS=f"old:{OLD_KEY}"):
        row = Secret.objects.create(label="a", secret=NAME)
    with (
        override_settings(FIELD_ENCRYPTION_KEYS=f"new:{NEW_KEY}"),
        pytest.raises(DecryptionError, match="unknown key id 'old'"),
    ):
        _ = Secret.objects.get(pk=row.pk).secret


@pytest.mark.django_db
def test_it_refuses_a_non_token_in_the_column() -> None:
    row = Secret.objects.create(label="a", secret=NAME)

    write_raw_secret(row.pk, "written around the ORM")

    with pytest.raises(DecryptionError, match="malformed") as excinfo:
        _ = Secret.objects.get(pk=row.pk).secret
    assert "around" not in str(excinfo.value)


@pytest.mark.django_db
def test_it_refuses_to_copy_an_unread_row_by_changing_its_pk() -> None:
    original = Secret.objects.create(label="a", secret=NAME)

    unread = Secret.objects.get(pk=original.pk)
    unread.pk = uuid.uuid4()
    unread._state.adding = True
    # atomic(): the failed save marks the enclosing transaction for rollback, as it should.
    with pytest.raises(DecryptionError), transaction.atomic():
        unread.save()

    read = Secret.objects.get(pk=original.pk)
    assert read.secret == NAME  # plaintext now on the instance: re-encrypted for the new pk
    read.pk = uuid.uuid4()
    read._state.adding = True
    read.save()
    assert Secret.objects.get(pk=read.pk).secret == NAME
    assert Secret.objects.count() == 2


def test_it_requires_a_primary_key_to_encrypt() -> None:
    field = Secret._meta.get_field("secret")

    with pytest.raises(ValueError, match="primary key"):
        field.encrypt_for(Secret(id=None), "x")


# --- writes that bypass pre_save fail closed ------------------------------------------------


@pytest.mark.django_db
def test_it_refuses_bulk_update_with_plaintext_and_writes_nothing() -> None:
    rows = [Secret.objects.create(label=str(i), secret=f"value {i}") for i in range(3)]
    before = [raw_columns(row.pk) for row in rows]

    for row in rows:
        row.secret = "plaintext that must never reach the disk"
    with pytest.raises(PlaintextWriteError), transaction.atomic():
        Secret.objects.bulk_update(rows, ["secret"])

    assert [raw_columns(row.pk) for row in rows] == before


@pytest.mark.django_db
def test_it_refuses_queryset_update_with_plaintext() -> None:
    row = Secret.objects.create(label="a", secret=NAME)
    before = raw_columns(row.pk)

    with pytest.raises(PlaintextWriteError), transaction.atomic():
        Secret.objects.update(secret="plaintext")

    assert raw_columns(row.pk) == before


@pytest.mark.django_db
def test_it_bulk_updates_values_from_encrypt_for() -> None:
    rows = [Secret.objects.create(label=str(i), secret=f"value {i}") for i in range(3)]

    for i, row in enumerate(rows):
        row.secret = encrypt_for(row, "secret", f"new value {i}")
    Secret.objects.bulk_update(rows, ["secret"])

    assert [Secret.objects.get(pk=row.pk).secret for row in rows] == [
        "new value 0",
        "new value 1",
        "new value 2",
    ]


@pytest.mark.django_db
def test_it_writes_null_through_update() -> None:
    row = Secret.objects.create(label="a", secret=NAME, note="x")

    Secret.objects.update(note=None)

    assert raw_columns(row.pk)[1] is None


# --- lookups ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_refuses_lookups_on_encrypted_values() -> None:
    Secret.objects.create(label="a", secret=NAME)

    with pytest.raises(FieldError, match="isnull"):
        Secret.objects.filter(secret=NAME)
    with pytest.raises(FieldError):
        Secret.objects.filter(secret__icontains="Quispe")
    with pytest.raises(FieldError):
        Secret.objects.filter(secret__in=[NAME])
    with pytest.raises(FieldError):
        Secret.objects.filter(secret__lower__exact="x")


@pytest.mark.django_db
def test_it_filters_on_null() -> None:
    with_note = Secret.objects.create(label="a", secret="x", note="y")
    without = Secret.objects.create(label="b", secret="x", note=None)

    assert list(Secret.objects.filter(note__isnull=True)) == [without]
    assert list(Secret.objects.filter(note=None)) == [without]
    assert list(Secret.objects.exclude(note=None)) == [with_note]


# --- validation, forms, migrations, checks ---------------------------------------------------


def test_it_enforces_max_length_on_the_plaintext() -> None:
    Secret(label="a", secret="x" * 200).clean_fields()

    with pytest.raises(ValidationError) as excinfo:
        Secret(label="a", secret="x" * 201).clean_fields()
    assert "secret" in excinfo.value.message_dict

    form_field = Secret._meta.get_field("secret").formfield()
    assert form_field.max_length == 200


@pytest.mark.django_db
def test_it_stores_values_longer_than_max_length_as_ciphertext() -> None:
    row = Secret.objects.create(label="a", secret="é" * 200)

    assert len(raw_columns(row.pk)[0]) > 200
    assert Secret.objects.get(pk=row.pk).secret == "é" * 200


def test_it_deconstructs_for_migrations() -> None:
    for name, expected in [
        ("secret", {"max_length": 200}),
        ("note", {"blank": True, "null": True}),
    ]:
        field = Secret._meta.get_field(name)
        _, path, args, kwargs = field.deconstruct()
        assert path == "hrdcase.fields.EncryptedTextField"
        assert kwargs == expected
        rebuilt = EncryptedTextField(*args, **kwargs)
        assert rebuilt.deconstruct()[1:] == (path, args, kwargs)


def test_it_passes_its_system_checks_on_a_uuid_model() -> None:
    assert Secret.check() == []


@isolate_apps("tests.testapp")
def test_it_refuses_an_auto_increment_pk_and_an_index() -> None:
    class Numbered(models.Model):  # noqa: DJ008
        secret = EncryptedTextField(unique=True)

        class Meta:
            app_label = "testapp"

    ids = {error.id for error in Numbered.check() if isinstance(error, checks.Error)}

    assert {"hrdcase.E101", "hrdcase.E103"} <= ids


# --- keys and rotation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("", "non-empty"),
        ("k1", "kid:base64key"),
        ("k1:", "kid:base64key"),
        (f":{OLD_KEY}", "kid:base64key"),
        (f"k1:{OLD_KEY},", "entry 2"),
        (f"k 1:{OLD_KEY}", "key id"),
        ("k1:" + base64.urlsafe_b64encode(b"k" * 16).decode(), "16 bytes"),
        ("k1:" + OLD_KEY[:-2] + "!=", "base64"),
        (f"k1:{OLD_KEY},k1:{NEW_KEY}", "duplicate key id 'k1'"),
    ],
    # Ids without the random keys, so every xdist worker collects the same tests.
    ids=[
        "empty",
        "no-colon",
        "no-key",
        "no-kid",
        "trailing-comma",
        "bad-kid",
        "short-key",
        "not-base64",
        "duplicate-kid",
    ],
)
def test_it_rejects_a_bad_key_configuration(value: str, reason: str) -> None:
    with (
        override_settings(FIELD_ENCRYPTION_KEYS=value),
        pytest.raises(ImproperlyConfigured, match=reason) as excinfo,
    ):
        crypto.encrypt("x", aad=b"")
    message = str(excinfo.value)
    assert OLD_KEY[:16] not in message
    assert NEW_KEY[:16] not in message


def test_it_reloads_keys_when_settings_change() -> None:
    with override_settings(FIELD_ENCRYPTION_KEYS=f"old:{OLD_KEY}"):
        assert crypto.active_key_id() == "old"
        token = crypto.encrypt("x", aad=b"t")
    with override_settings(FIELD_ENCRYPTION_KEYS=f"new:{NEW_KEY},old:{OLD_KEY}"):
        assert crypto.active_key_id() == "new"
        assert crypto.key_id_of(token) == "old"
        assert crypto.decrypt(token, aad=b"t") == "x"
        with pytest.raises(DecryptionError):
            crypto.decrypt(token, aad=b"other")


@pytest.mark.django_db
def test_it_rotates_values_to_the_new_key() -> None:
    with override_settings(FIELD_ENCRYPTION_KEYS=f"old:{OLD_KEY}"):
        rows = [
            Secret.objects.create(label=str(i), secret=f"name {i}", note=None if i else "n")
            for i in range(5)
        ]

    with override_settings(FIELD_ENCRYPTION_KEYS=f"new:{NEW_KEY},old:{OLD_KEY}"):
        # Before rotation, rows under the old key still read.
        assert Secret.objects.get(pk=rows[0].pk).secret == "name 0"
        out = StringIO()
        call_command("rotate_keys", chunk_size=2, stdout=out)
        assert "testapp.Secret: 6 value(s) in 5 row(s) re-encrypted with key 'new'" in (
            out.getvalue()
        )
        for row in rows:
            secret, note = raw_columns(row.pk)
            assert secret.startswith("v1:new:")
            assert note is None or note.startswith("v1:new:")

        # Idempotent: nothing left to do.
        again = StringIO()
        call_command("rotate_keys", stdout=again)
        assert "testapp.Secret: 0 value(s) in 0 row(s)" in again.getvalue()

    # The old key can now be retired.
    with override_settings(FIELD_ENCRYPTION_KEYS=f"new:{NEW_KEY}"):
        by_pk = {row.pk: row for row in Secret.objects.all()}
        assert [by_pk[row.pk].secret for row in rows] == [f"name {i}" for i in range(5)]
        assert by_pk[rows[0].pk].note == "n"
        assert by_pk[rows[1].pk].note is None


@pytest.mark.django_db
def test_it_rotates_nothing_in_a_dry_run() -> None:
    with override_settings(FIELD_ENCRYPTION_KEYS=f"old:{OLD_KEY}"):
        row = Secret.objects.create(label="a", secret=NAME)
    before = raw_columns(row.pk)

    with override_settings(FIELD_ENCRYPTION_KEYS=f"new:{NEW_KEY},old:{OLD_KEY}"):
        out = StringIO()
        call_command("rotate_keys", dry_run=True, stdout=out)

    assert "testapp.Secret: 1 value(s) in 1 row(s) would be re-encrypted" in out.getvalue()
    assert raw_columns(row.pk) == before


@pytest.mark.django_db
def test_it_stops_rotation_on_an_unreadable_value() -> None:
    with override_settings(FIELD_ENCRYPTION_KEYS=f"old:{OLD_KEY}"):
        row = Secret.objects.create(label="a", secret=NAME)
    write_raw_secret(row.pk, tamper(raw_columns(row.pk)[0]))

    with (
        override_settings(FIELD_ENCRYPTION_KEYS=f"new:{NEW_KEY},old:{OLD_KEY}"),
        pytest.raises(CommandError, match="authentication failed"),
    ):
        call_command("rotate_keys", stdout=StringIO())


@pytest.mark.django_db
def test_it_moves_a_value_to_the_active_key_on_a_full_save() -> None:
    with override_settings(FIELD_ENCRYPTION_KEYS=f"old:{OLD_KEY}"):
        row = Secret.objects.create(label="a", secret=NAME)

    with override_settings(FIELD_ENCRYPTION_KEYS=f"new:{NEW_KEY},old:{OLD_KEY}"):
        loaded = Secret.objects.get(pk=row.pk)
        loaded.label = "b"
        loaded.save()
        assert raw_columns(row.pk)[0].startswith("v1:new:")
