"""hrdcase.text: the single-line rule for names and the one-line e-mail subject, as
properties over any text (Hypothesis) and as the messages people read."""

from __future__ import annotations

import email
import email.policy
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from hypothesis import example, given, settings
from hypothesis import strategies as st

from hrdcase.text import (
    BIDI_CONTROLS,
    DIRECTION_MARKS,
    LINE_BREAKS,
    SUBJECT_MAX_LENGTH,
    email_subject,
    single_line_refusal,
    validate_single_line,
)

# Pure functions: no database, and no example database left in the work tree.
pure = settings(database=None, max_examples=300)

REFUSED_NAMED = LINE_BREAKS | BIDI_CONTROLS | DIRECTION_MARKS | {"\t"}


def _refused(char: str) -> bool:
    return char in REFUSED_NAMED or unicodedata.category(char) in ("Cc", "Cs")


#: any character a single-line name may hold: letters of every script, marks, punctuation,
#: symbols, spaces, zero-width joiners...
allowed_chars = st.characters(
    exclude_categories=("Cc", "Cs"), exclude_characters="".join(REFUSED_NAMED)
)
#: any character the rule refuses.
refused_chars = st.one_of(
    st.sampled_from(sorted(REFUSED_NAMED)),
    st.characters(categories=("Cc",)),
)


@pure
@given(st.text(alphabet=allowed_chars, max_size=80))
@example("Berta Ixchel Cáceres")
@example("محمد بن سلمان")  # right-to-left script, no mark needed
@example("می\u200cخواهم")  # noqa: RUF001 (Persian, with a zero-width non-joiner)
@example("👩\u200d⚖️ O'Brien-Nǵuni")
def test_it_accepts_any_name_without_refused_characters(name):
    validate_single_line(name)


@pure
@given(
    st.text(alphabet=allowed_chars, max_size=20),
    refused_chars,
    st.text(max_size=20),
)
def test_it_refuses_any_name_holding_a_refused_character(before, char, after):
    with pytest.raises(ValidationError) as error:
        validate_single_line(before + char + after)
    # The message speaks of the first refused character, the one a person removes first.
    first = next(c for c in before + char + after if _refused(c))
    assert error.value.code == single_line_refusal(first).code


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        ("Ceiba\nRoble", "line_break", "Remove the line break: this field holds a single line."),
        ("Ceiba\r", "line_break", "Remove the line break: this field holds a single line."),
        ("Ceiba\u2028", "line_break", "Remove the line break: this field holds a single line."),
        ("Ceiba\x85", "line_break", "Remove the line break: this field holds a single line."),
        ("Cei\tba", "tab", "Remove the tab: this field holds a single line."),
        (
            "Ceiba\u202egpj.exe",
            "bidi_control",
            "Remove the invisible direction control (U+202E): it makes the text display in "
            "another order than it was typed.",
        ),
        (
            "\u2067Ceiba\u2069",
            "bidi_control",
            "Remove the invisible direction control (U+2067): it makes the text display in "
            "another order than it was typed.",
        ),
        (
            "Cei\u200fba",
            "direction_mark",
            "Remove the invisible direction mark (U+200F): a name cannot hold invisible "
            "characters, which would make it look like another one.",
        ),
        (
            "Ceiba\u061c",
            "direction_mark",
            "Remove the invisible direction mark (U+061C): a name cannot hold invisible "
            "characters, which would make it look like another one.",
        ),
        ("Cei\x00ba", "control_character", "Remove the invisible control character (U+0000)."),
        ("Cei\x1bba", "control_character", "Remove the invisible control character (U+001B)."),
        ("Cei\x9bba", "control_character", "Remove the invisible control character (U+009B)."),
    ],
)
def test_the_message_names_what_to_remove(value, code, message):
    with pytest.raises(ValidationError) as error:
        validate_single_line(value)
    assert error.value.code == code
    assert error.value.messages == [message]


@pure
@given(st.text(max_size=400))
@example("Ceiba\r\nBcc: spy@example.org")
@example("\u202eCeiba\u2029\x00")
@example("x" * 1000)
def test_any_value_makes_a_subject_the_mail_library_accepts(value):
    subject = email_subject(value)
    assert len(subject) <= SUBJECT_MAX_LENGTH
    assert subject == subject.strip() and "  " not in subject
    assert not any(_refused(c) or unicodedata.category(c) in ("Zl", "Zp") for c in subject)
    # The message the mail library builds (it refuses a line break in a header), read back
    # as a mail client would: the same one line, and no header but those we set.
    raw = EmailMessage(subject=subject, body="", to=["a@example.org"]).message().as_bytes()
    received = email.message_from_bytes(raw, policy=email.policy.default)
    assert received["Subject"].strip() == subject  # (a folded header may start with a space)
    assert received["Bcc"] is None and received["To"] == "a@example.org"
    # Cleaning is stable: a clean subject goes through unchanged.
    assert email_subject(subject) == subject


@pure
@given(st.text(alphabet=allowed_chars, min_size=1, max_size=SUBJECT_MAX_LENGTH))
def test_a_clean_one_line_value_keeps_its_words(value):
    assert email_subject(value) == " ".join(value.split())


def test_a_long_subject_is_cut_with_an_ellipsis():
    assert email_subject("Alert: " + "x" * 500, max_length=20) == "Alert: xxxxxxxxxxxx\u2026"
