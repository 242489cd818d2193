"""The blind index: equal for the same name however it is written, keyed, scoped, truncated."""

from __future__ import annotations

import base64
import secrets

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from hrdcase.crypto import blind_index, normalise_name, validate_settings


def new_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


@pytest.mark.parametrize(
    "written",
    [
        "José María Pérez",
        "perez, jose maria",
        "PÉREZ José-María",
        "  maria\tJOSE perez ",
        "Ｊｏｓé María Pérez",
    ],
)
def test_it_indexes_the_same_name_however_it_is_written(written: str) -> None:
    assert normalise_name(written) == "jose maria perez"
    assert blind_index(written, scope="PE") == blind_index("José María Pérez", scope="PE")


def test_it_normalises_names_across_scripts_and_apostrophes() -> None:
    assert normalise_name("Doe John") == normalise_name("john  DOE") == "doe john"
    assert normalise_name("O'Brien") == normalise_name("O\u2019Brien") == normalise_name("OBrien")
    assert normalise_name("Straße") == "strasse"
    assert normalise_name("Алёна Иванова") == "алена иванова"
    assert normalise_name("مُحَمَّد") == normalise_name("محمد")


def test_it_differs_between_names() -> None:
    assert blind_index("John Doe") != blind_index("Jane Doe")


def test_it_differs_by_scope() -> None:
    assert blind_index("John Doe", scope="UG") != blind_index("John Doe", scope="KE")
    assert blind_index("John Doe", scope="UG") != blind_index("John Doe")
    # The scope is length-prefixed: moving text between scope and name changes the index.
    assert blind_index("b c", scope="a") != blind_index("a b c")


def test_it_is_truncated_to_the_configured_bits() -> None:
    assert len(blind_index("John Doe")) == 6  # 24 bits by default

    with override_settings(BLIND_INDEX_BITS=12):
        value = blind_index("John Doe")
        assert len(value) == 3
        assert int(value, 16) < 2**12


def test_it_lets_unrelated_names_collide() -> None:
    # By design (see blind_index): 300 names in 256 buckets must share one.
    with override_settings(BLIND_INDEX_BITS=8):
        values = {blind_index(f"defender {n}") for n in range(300)}
    assert len(values) < 300


def test_it_changes_with_the_key() -> None:
    with override_settings(BLIND_INDEX_KEY=new_key()):
        first = blind_index("John Doe")
    with override_settings(BLIND_INDEX_KEY=new_key()):
        second = blind_index("John Doe")
    # Two 24-bit values from independent keys agree with probability 2**-24.
    assert first != second


def test_it_refuses_a_name_without_letters() -> None:
    with pytest.raises(ValueError, match="letter or digit"):
        blind_index(" - , ")


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("", "non-empty"),
        ("not base64!", "base64"),
        (base64.urlsafe_b64encode(b"short").decode(), "at least 32"),
    ],
)
def test_it_rejects_a_bad_index_key(key: str, reason: str) -> None:
    with override_settings(BLIND_INDEX_KEY=key), pytest.raises(ImproperlyConfigured, match=reason):
        blind_index("John Doe")


def test_it_rejects_bad_bits() -> None:
    with (
        override_settings(BLIND_INDEX_BITS=4),
        pytest.raises(ImproperlyConfigured, match="BLIND_INDEX_BITS"),
    ):
        blind_index("John Doe")


def test_it_rejects_an_index_key_shared_with_a_field_key() -> None:
    key = new_key()
    validate_settings()  # the test settings are sound
    with (
        override_settings(FIELD_ENCRYPTION_KEYS=f"k1:{key}", BLIND_INDEX_KEY=key),
        pytest.raises(ImproperlyConfigured, match="must differ"),
    ):
        validate_settings()
