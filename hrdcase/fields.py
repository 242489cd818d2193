"""``EncryptedTextField``: a text column that only ever holds AES-GCM ciphertext.

How a value travels:

- assignment stores the plaintext on the instance;
- ``pre_save`` encrypts it with the active key and with associated data
  ``"<db_table>.<column>.<pk>"``, so a ciphertext copied into another row, column or table
  fails to decrypt (loudly, with ``DecryptionError``) instead of showing the wrong
  defender's data;
- loading a row keeps the raw token (a ``Ciphertext``) and decrypts it only when the
  attribute is read, then caches the plaintext on the instance: a list that never shows
  the field never decrypts it.

The column **fails closed**: ``get_db_prep_value`` refuses anything but ``None`` or a
``Ciphertext``, so ``QuerySet.update(field="x")`` and ``bulk_update`` of plaintext raise
``PlaintextWriteError`` instead of writing plaintext. Code that must bulk-write (key
rotation) assigns ``encrypt_for(instance, "field", plaintext)`` first.

Consequences to keep in mind:

- the primary key is part of the associated data, so it must exist before the first save
  (``UUIDField(primary_key=True, default=uuid.uuid4)``, as ``TenantModel`` has) and a row
  cannot be copied by changing ``pk`` unless its encrypted fields were read first;
- renaming the table or the column makes every stored value unreadable: keep the old name
  with ``db_table`` / ``db_column``, or migrate through plaintext;
- only ``isnull`` (and ``=None``) can be queried: values are randomised, any other
  lookup would silently match nothing, so it raises ``FieldError``;
- ``values()`` / ``values_list()`` return the raw tokens, not plaintext.
"""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.exceptions import FieldError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.fields import AutoFieldMixin
from django.db.models.lookups import Exact
from django.db.models.query_utils import DeferredAttribute
from django.utils.functional import cached_property

from hrdcase import crypto
from hrdcase.crypto import DecryptionError

__all__ = [
    "Ciphertext",
    "DecryptionError",
    "EncryptedTextField",
    "PlaintextWriteError",
    "encrypt_for",
]


class Ciphertext(str):
    """A str that is already an encrypted token: the only kind of value the column accepts."""

    __slots__ = ()


class _StoredCiphertext(Ciphertext):
    """A token as loaded from the database, not yet decrypted for its instance."""

    __slots__ = ()


class PlaintextWriteError(TypeError):
    """Something tried to write a plain value into an encrypted column."""


class _EncryptedAttribute(DeferredAttribute):
    """Data descriptor: decrypts a loaded token on first read, using the instance's pk.

    It must define ``__set__`` (unlike ``DeferredAttribute``), otherwise the value in the
    instance ``__dict__`` would shadow ``__get__`` and readers would see the raw token.
    """

    field: EncryptedTextField

    def __get__(self, instance: models.Model | None, cls: Any = None) -> Any:
        if instance is None:
            return self
        value = super().__get__(instance, cls)  # loads a deferred field if need be
        if isinstance(value, _StoredCiphertext):
            value = self.field.decrypt_for(instance, value)
            instance.__dict__[self.field.attname] = value
        return value

    def __set__(self, instance: models.Model, value: Any) -> None:
        instance.__dict__[self.field.attname] = value


class _NoneOnlyExact(Exact):
    """``field=None`` is how Django spells ``isnull``: let it through, refuse a value."""

    def __init__(self, lhs: Any, rhs: Any) -> None:
        if rhs is not None:
            raise FieldError(_lookup_refusal(lhs.output_field, "exact"))
        super().__init__(lhs, rhs)


def _lookup_refusal(field: models.Field[Any, Any], lookup_name: str) -> str:
    return (
        f"{field.model._meta.label}.{field.name} is encrypted with a random nonce: the "
        f"'{lookup_name}' lookup would compare ciphertexts and silently match nothing. Only "
        "'isnull' works; search through a blind index field instead."
    )


class EncryptedTextField(models.TextField):
    """Text encrypted at the application layer, bound to its table, column and row.

    ``max_length`` is checked by model validation and forms on the plaintext; the column
    itself is unbounded text because it stores the longer ciphertext.
    """

    descriptor_class = _EncryptedAttribute
    description = "Text encrypted with AES-GCM (application layer)"

    # --- validation and forms -------------------------------------------------------------
    @cached_property
    def validators(self) -> list[Any]:
        # TextField passes max_length to its form field only; model validation must
        # enforce it too, as CharField does, since the database no longer can.
        validators = list(super().validators)
        if self.max_length is not None:
            validators.append(MaxLengthValidator(self.max_length))
        return validators

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        # django-stubs declares neither db_index nor has_db_default (Django 5.0) on fields.
        if self.unique or self.db_index:  # type: ignore[attr-defined]
            errors.append(
                checks.Error(
                    "EncryptedTextField cannot be a primary key, unique or indexed: "
                    "its values are randomised ciphertext.",
                    hint="Index a blind index column (hrdcase.crypto.blind_index) instead.",
                    obj=self,
                    id="hrdcase.E101",
                )
            )
        if self.has_db_default():  # type: ignore[attr-defined]
            errors.append(
                checks.Error(
                    "EncryptedTextField cannot have a db_default: the database would store "
                    "it in plaintext.",
                    hint="Use default= (encrypted on save).",
                    obj=self,
                    id="hrdcase.E102",
                )
            )
        if isinstance(self.model._meta.pk, AutoFieldMixin):
            errors.append(
                checks.Error(
                    "EncryptedTextField binds each value to its row's primary key, which an "
                    "auto-incremented key only gets after the INSERT.",
                    hint="Use id = models.UUIDField(primary_key=True, default=uuid.uuid4).",
                    obj=self,
                    id="hrdcase.E103",
                )
            )
        return errors

    # --- lookups ----------------------------------------------------------------------------
    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        if lookup_name == "exact":
            return _NoneOnlyExact
        raise FieldError(_lookup_refusal(self, lookup_name))

    def get_transform(self, lookup_name: str) -> Any:
        raise FieldError(_lookup_refusal(self, lookup_name))

    # --- encryption -----------------------------------------------------------------------
    def _aad(self, instance: models.Model) -> bytes:
        pk = instance.pk
        if pk is None:
            raise ValueError(
                f"{self.model._meta.label}.{self.name} is encrypted with its row's primary key "
                "as associated data, so the row needs its primary key before it is saved: "
                "give the model a UUIDField(primary_key=True, default=uuid.uuid4)."
            )
        # Canonical form, so a pk assigned as "ABCD..." and read back as a UUID agree.
        pk = instance._meta.pk.to_python(pk)
        # The field's own model owns the column (a multi-table child shares its parent's pk).
        return f"{self.model._meta.db_table}.{self.column}.{pk}".encode()

    def encrypt_for(self, instance: models.Model, plaintext: str) -> Ciphertext:
        """Encrypt ``plaintext`` for this field of ``instance``: assign the result before a
        ``bulk_update`` (which bypasses ``pre_save``)."""
        if not isinstance(instance, self.model):
            raise TypeError(f"{self.model._meta.label}.{self.name} cannot encrypt for {instance!r}")
        if not isinstance(plaintext, str):
            raise TypeError(f"{self.model._meta.label}.{self.name} encrypts str values only")
        return Ciphertext(crypto.encrypt(plaintext, aad=self._aad(instance)))

    def decrypt_for(self, instance: models.Model, token: str) -> str:
        try:
            return crypto.decrypt(token, aad=self._aad(instance))
        except DecryptionError as exc:
            raise DecryptionError(
                f"{self.model._meta.label}.{self.name} (pk {instance.pk}): {exc}"
            ) from exc

    def stored_token(self, instance: models.Model) -> Ciphertext | None:
        """The token loaded from the database if it was not read or replaced since."""
        value = instance.__dict__.get(self.attname)
        return value if isinstance(value, _StoredCiphertext) else None

    def pre_save(self, model_instance: models.Model, add: bool) -> Ciphertext | None:
        # Reading through the descriptor decrypts a token that was loaded and never touched;
        # this checks that it still belongs to this row (a changed pk fails here, loudly,
        # rather than writing an unreadable copy) and re-encrypts with the active key.
        value = getattr(model_instance, self.attname)
        if value is None:
            return None
        if isinstance(value, Ciphertext):  # from encrypt_for(): already bound to this row
            return value
        return self.encrypt_for(model_instance, self.to_python(value))

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if value is None:
            return None
        if isinstance(value, Ciphertext):
            return str(value)
        # Fail closed: .update(), bulk_update() and raw saves skip pre_save, and writing
        # their value as-is would put plaintext in the column.
        raise PlaintextWriteError(
            f"{self.model._meta.label}.{self.name} is encrypted and refuses a plain value: "
            "save() the instance, or assign hrdcase.fields.encrypt_for(...) before "
            "bulk_update()"
        )

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return None
        return _StoredCiphertext(value)


def encrypt_for(instance: models.Model, field_name: str, plaintext: str) -> Ciphertext:
    """Ciphertext of ``plaintext`` for ``instance.<field_name>``, to assign before a
    ``bulk_update``: ``obj.note = encrypt_for(obj, "note", text)``."""
    field = instance._meta.get_field(field_name)
    if not isinstance(field, EncryptedTextField):
        raise TypeError(f"{instance._meta.label}.{field_name} is not an EncryptedTextField")
    return field.encrypt_for(instance, plaintext)
