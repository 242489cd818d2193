"""Application-layer encryption: a key ring for AES-GCM field values, and a blind index.

Field values (see ``hrdcase/fields.py``) are stored as ``v1:<kid>:<urlsafe-b64(nonce + ct)>``.
The key id in each value lets keys rotate: ``settings.FIELD_ENCRYPTION_KEYS`` lists
``kid:key`` pairs, the first one encrypts and every one of them decrypts, and
``manage.py rotate_keys`` re-encrypts old values so an old key can then be retired.

The blind index is a keyed HMAC of a normalised name, truncated so that unrelated names
collide now and then (see ``blind_index``). It has its own key, distinct from the field keys.

Errors never carry key material or plaintext: they name the setting, the key id, the reason.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
import struct
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# ``setting_changed`` is defined here and re-exported by ``django.test.signals``; importing it
# from core keeps test machinery out of production imports while ``override_settings`` still
# reaches our receiver.
from django.core.signals import setting_changed

__all__ = [
    "DecryptionError",
    "KeyRing",
    "active_key_id",
    "blind_index",
    "decrypt",
    "encrypt",
    "get_key_ring",
    "key_id_of",
    "normalise_name",
    "validate_settings",
]

TOKEN_VERSION = "v1"  # noqa: S105 (a format tag, not a secret)
KEY_BYTES = 32  # AES-256
NONCE_BYTES = 12  # the size AES-GCM is specified for; random per value
TAG_BYTES = 16
BLIND_INDEX_MIN_KEY_BYTES = 32

# Key ids travel inside every stored value and in error messages: a short, plain alphabet
# without ':' (the token separator) keeps tokens parseable and messages safe to log.
_KID_RE = re.compile(r"[A-Za-z0-9_-]{1,32}")
_B64URL_RE = re.compile(r"[A-Za-z0-9_-]*={0,2}")


class DecryptionError(Exception):
    """A stored value could not be decrypted: tampered, bound to another row/column, or its
    key is unknown. The message names the key id and the reason, never the data."""


@dataclass(frozen=True)
class KeyRing:
    active_kid: str
    keys: dict[str, AESGCM] = field(repr=False)
    # SHA-256 of each key, only to check that BLIND_INDEX_KEY is not one of them.
    fingerprints: dict[str, bytes] = field(repr=False)

    def key(self, kid: str) -> AESGCM:
        try:
            return self.keys[kid]
        except KeyError:
            raise DecryptionError(
                f"unknown key id {kid!r}: it is not in FIELD_ENCRYPTION_KEYS "
                "(was it retired before rotate_keys re-encrypted its values?)"
            ) from None


def _b64decode_strict(value: str) -> bytes:
    """urlsafe base64, padding optional; anything outside the alphabet is an error (the
    stdlib decoder silently skips stray characters, which would hide a mangled key)."""
    if not _B64URL_RE.fullmatch(value):
        raise ValueError("not urlsafe base64")
    value = value.rstrip("=")
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except binascii.Error:
        raise ValueError("not urlsafe base64") from None


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii")


# --- key ring --------------------------------------------------------------------------------


def _parse_key_ring(raw: Any) -> KeyRing:
    if not isinstance(raw, str) or not raw.strip():
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS must be a non-empty string 'kid:base64key[,kid:base64key...]'"
        )
    keys: dict[str, AESGCM] = {}
    fingerprints: dict[str, bytes] = {}
    order: list[str] = []
    for position, entry in enumerate(raw.split(","), start=1):
        entry = entry.strip()
        kid, sep, encoded = entry.partition(":")
        kid, encoded = kid.strip(), encoded.strip()
        if not sep or not kid or not encoded:
            raise ImproperlyConfigured(
                f"FIELD_ENCRYPTION_KEYS entry {position} is not of the form 'kid:base64key'"
            )
        if not _KID_RE.fullmatch(kid):
            raise ImproperlyConfigured(
                f"FIELD_ENCRYPTION_KEYS entry {position}: the key id must be 1-32 characters "
                "among letters, digits, '_' and '-'"
            )
        if kid in keys:
            raise ImproperlyConfigured(f"FIELD_ENCRYPTION_KEYS: duplicate key id {kid!r}")
        try:
            key = _b64decode_strict(encoded)
        except ValueError:
            raise ImproperlyConfigured(
                f"FIELD_ENCRYPTION_KEYS: key {kid!r} is not urlsafe base64"
            ) from None
        if len(key) != KEY_BYTES:
            raise ImproperlyConfigured(
                f"FIELD_ENCRYPTION_KEYS: key {kid!r} is {len(key)} bytes, "
                f"expected {KEY_BYTES} (AES-256)"
            )
        keys[kid] = AESGCM(key)
        fingerprints[kid] = hashlib.sha256(key).digest()
        order.append(kid)
    return KeyRing(active_kid=order[0], keys=keys, fingerprints=fingerprints)


_key_ring: KeyRing | None = None
_blind_index_key: bytes | None = None


def get_key_ring() -> KeyRing:
    """The parsed ``FIELD_ENCRYPTION_KEYS``, cached until a setting changes."""
    global _key_ring
    ring = _key_ring
    if ring is None:
        # A race here only parses twice: the result is the same and the assignment atomic.
        ring = _key_ring = _parse_key_ring(getattr(settings, "FIELD_ENCRYPTION_KEYS", None))
    return ring


def active_key_id() -> str:
    """The key id new values are encrypted with (the first of ``FIELD_ENCRYPTION_KEYS``)."""
    return get_key_ring().active_kid


def _reset_caches(*, setting: str, **kwargs: Any) -> None:
    global _key_ring, _blind_index_key
    if setting == "FIELD_ENCRYPTION_KEYS":
        _key_ring = None
    elif setting == "BLIND_INDEX_KEY":
        _blind_index_key = None


setting_changed.connect(_reset_caches, dispatch_uid="hrdcase.crypto.reset_caches")


# --- values ----------------------------------------------------------------------------------


def _full_aad(kid: str, aad: bytes) -> bytes:
    # The version and key id are authenticated with the caller's associated data, so the
    # header of a token cannot be edited without the tag failing. The kid alphabet has no
    # NUL, so the concatenation is unambiguous.
    return f"{TOKEN_VERSION}\x00{kid}\x00".encode("ascii") + aad


def encrypt(plaintext: str, *, aad: bytes) -> str:
    """Encrypt ``plaintext`` with the active key; ``aad`` must be given again to decrypt."""
    if not isinstance(plaintext, str):
        raise TypeError("encrypt() takes a str")
    ring = get_key_ring()
    kid = ring.active_kid
    # Random 96-bit nonces: safe for far more values than one key will ever encrypt here
    # (the birthday bound is ~2**32 values per key), and rotation resets the count.
    nonce = os.urandom(NONCE_BYTES)
    sealed = ring.keys[kid].encrypt(nonce, plaintext.encode("utf-8"), _full_aad(kid, aad))
    return f"{TOKEN_VERSION}:{kid}:{_b64encode(nonce + sealed)}"


def _split_token(token: str) -> tuple[str, str]:
    if not isinstance(token, str):
        raise DecryptionError("malformed token: not a string")
    version, sep1, rest = token.partition(":")
    kid, sep2, payload = rest.partition(":")
    if version != TOKEN_VERSION or not sep1 or not sep2:
        raise DecryptionError(f"malformed token: not a {TOKEN_VERSION} encrypted value")
    if not _KID_RE.fullmatch(kid):
        # Do not echo it: a mangled header may hold anything, including plaintext that was
        # written around the field.
        raise DecryptionError("malformed token: invalid key id")
    return kid, payload


def key_id_of(token: str) -> str:
    """The key id a stored token was encrypted with (no decryption)."""
    return _split_token(token)[0]


def decrypt(token: str, *, aad: bytes) -> str:
    """Decrypt a token made by ``encrypt`` with the same ``aad``; raise ``DecryptionError``
    rather than ever returning something that is not the original plaintext."""
    kid, payload = _split_token(token)
    key = get_key_ring().key(kid)
    try:
        blob = _b64decode_strict(payload)
    except ValueError:
        raise DecryptionError(f"malformed token (key {kid!r}): payload is not base64") from None
    if len(blob) < NONCE_BYTES + TAG_BYTES:
        raise DecryptionError(f"malformed token (key {kid!r}): payload too short")
    try:
        data = key.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], _full_aad(kid, aad))
    except InvalidTag:
        raise DecryptionError(
            f"authentication failed with key {kid!r}: the value was altered, copied from "
            "another row/column/table, or encrypted under a different key with this id"
        ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:  # only if something other than encrypt() made the token
        raise DecryptionError(f"decrypted value (key {kid!r}) is not UTF-8") from None


# --- blind index -----------------------------------------------------------------------------

# Apostrophes join rather than split: "O'Brien", "O\u2019Brien" and "OBrien" are one surname
# written three ways, while a hyphen or a space does separate name parts ("Jean-Pierre").
_APOSTROPHES = dict.fromkeys(map(ord, "'\u2018\u2019\u02bc\u02bb`\u00b4"), None)


def normalise_name(value: str) -> str:
    """The form of a name that the blind index hashes: compatibility-decomposed, marks
    removed, casefolded, letters/digits only, tokens sorted. ``"Doe, JOHN"``, ``"john  doe"``
    and ``"Jöhn Doe"`` all give ``"doe john"``; word order is dropped because records
    disagree on it (family name first or last)."""
    text = unicodedata.normalize("NFKD", value.translate(_APOSTROPHES))
    # Casefolding can produce characters that decompose further (e.g. U+0130), so decompose
    # again before the marks go.
    text = unicodedata.normalize("NFKD", text.casefold())
    # Marks (accents, Arabic harakat, Indic vowel signs) are dropped, not used as separators,
    # so a word written with or without them stays one token.
    text = "".join(ch for ch in text if not unicodedata.category(ch).startswith("M"))
    tokens = "".join(ch if ch.isalnum() else " " for ch in text).split()
    return " ".join(sorted(tokens))


def _parse_blind_index_key(raw: Any) -> bytes:
    if not isinstance(raw, str) or not raw.strip():
        raise ImproperlyConfigured("BLIND_INDEX_KEY must be a non-empty urlsafe base64 string")
    try:
        key = _b64decode_strict(raw.strip())
    except ValueError:
        raise ImproperlyConfigured("BLIND_INDEX_KEY is not urlsafe base64") from None
    if len(key) < BLIND_INDEX_MIN_KEY_BYTES:
        raise ImproperlyConfigured(
            f"BLIND_INDEX_KEY is {len(key)} bytes, expected at least {BLIND_INDEX_MIN_KEY_BYTES}"
        )
    return key


def _get_blind_index_key() -> bytes:
    global _blind_index_key
    key = _blind_index_key
    if key is None:
        key = _blind_index_key = _parse_blind_index_key(getattr(settings, "BLIND_INDEX_KEY", None))
    return key


def _blind_index_bits() -> int:
    bits = getattr(settings, "BLIND_INDEX_BITS", 24)
    if not isinstance(bits, int) or isinstance(bits, bool) or not 8 <= bits <= 256:
        raise ImproperlyConfigured("BLIND_INDEX_BITS must be an integer between 8 and 256")
    return bits


def _length_prefixed(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


def blind_index(value: str, *, scope: str = "") -> str:
    """Keyed, truncated HMAC-SHA256 of ``normalise_name(value)`` within ``scope`` (e.g. a
    country code), as lowercase hex of ``ceil(BLIND_INDEX_BITS / 4)`` digits.

    Why truncated: the index exists to tell an officer "another organisation *perhaps*
    follows this defender, ask them", never to prove who a defender is. With 24 bits
    unrelated names collide once the index holds a few thousand of them, so a match is
    only a hint to talk to the other organisation. Someone who obtains the index (or can
    query it) cannot use it as a dictionary oracle to confirm that a given person is in
    the database: every guess matches many names. A full-length HMAC would be exactly that
    oracle for anyone who also obtained the key.

    Raises ``ValueError`` for a value with no letters or digits: indexing it would make
    every empty name "perhaps the same defender".
    """
    normalised = normalise_name(value)
    if not normalised:
        raise ValueError("blind_index() needs a value with at least one letter or digit")
    bits = _blind_index_bits()
    # Length prefixes keep (scope, name) pairs unambiguous: no scope/name split of one byte
    # string can equal another's. The label separates this use of the key from any other.
    message = (
        b"hrdcase.blind_index.v1\x00"
        + _length_prefixed(scope.strip().casefold().encode("utf-8"))
        + _length_prefixed(normalised.encode("utf-8"))
    )
    digest = hmac.new(_get_blind_index_key(), message, hashlib.sha256).digest()
    truncated = int.from_bytes(digest, "big") >> (256 - bits)
    return f"{truncated:0{(bits + 3) // 4}x}"


def validate_settings() -> None:
    """Parse every key setting now (raises ``ImproperlyConfigured``): for a start-up check,
    so a bad key stops the process instead of the first request that touches a field."""
    ring = get_key_ring()
    index_key = _get_blind_index_key()
    _blind_index_bits()
    # The index key must be its own: reusing a field key would tie the two schemes together
    # (leaking one would compromise both).
    index_fingerprint = hashlib.sha256(index_key).digest()
    for kid, fingerprint in ring.fingerprints.items():
        if hmac.compare_digest(fingerprint, index_fingerprint):
            raise ImproperlyConfigured(
                f"BLIND_INDEX_KEY must differ from every field key (it equals key {kid!r})"
            )
