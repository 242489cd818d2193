"""Text people type: what a one-line name may contain, and e-mail subjects that no stored
value can break.

Two rules, at two ends:

- **At input**, ``validate_single_line`` refuses, in every single-line field that names
  something (a case pseudonym, a defender's names, a person, an organisation, a network, an
  authority, a programme...), the characters that are invisible or that change how the text
  around them is laid out:

  - control characters (Unicode category ``Cc``: C0, DEL, C1), among them the line breaks
    and the tab, and the line and paragraph separators U+2028/U+2029. A newline in a
    pseudonym made every alert e-mail about that case fail, since the pseudonym goes into
    the subject and a header may not hold a line break;
  - the bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069):
    they make a name display in another order than it is stored ("Trojan Source"), so two
    different pseudonyms can look alike and a list can be made to lie;
  - the direction marks U+200E, U+200F and U+061C. They do not reorder text by themselves,
    but they are invisible, so a name that holds one looks like one that does not: the
    pseudonym search misses it and the duplicate hint (``crypto.normalise_name`` treats
    them as word separators) splits the name in two. Names rarely need them, and a user
    who pastes one is told which character to remove.

  Zero-width joiners (U+200C, U+200D) stay allowed: Persian, Indic scripts and emoji need
  them. Free text written over several lines (summaries, notes) is not checked here.

- **At output**, ``email_subject`` makes a one-line subject of any value, including rows
  stored before this rule existed or written around it: every run of those characters
  becomes one space, and the result is cut to a length a mail header carries.

This module is a core primitive: it imports no app, every app imports it.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

#: characters that end a line for Python's ``str.splitlines``, mail clients or browsers.
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
#: bidirectional embeddings and overrides (LRE, RLE, PDF, LRO, RLO) and isolates (LRI, RLI,
#: FSI, PDI).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: left-to-right mark, right-to-left mark, Arabic letter mark.
DIRECTION_MARKS = frozenset("\u200e\u200f\u061c")

#: Longest e-mail subject we send: a header line stays far below RFC 5322's 998 characters
#: once encoded, and ``Notification.subject`` holds 200.
SUBJECT_MAX_LENGTH = 200


def _code_point(char: str) -> str:
    return f"U+{ord(char):04X}"


def _character_class(char: str) -> str | None:
    """Which kind of character a one-line name may not hold ``char`` is, if any."""
    if char in LINE_BREAKS:
        return "line_break"
    if char == "\t":
        return "tab"
    if char in BIDI_CONTROLS:
        return "bidi_control"
    if char in DIRECTION_MARKS:
        return "direction_mark"
    if unicodedata.category(char) in ("Cc", "Cs"):
        return "control_character"
    return None


#: the message for each kind (the error's code); ``%(char)s`` names the code point.
_REFUSALS = {
    "line_break": _("Remove the line break: this field holds a single line."),
    "tab": _("Remove the tab: this field holds a single line."),
    "bidi_control": _(
        "Remove the invisible direction control (%(char)s): it makes the text "
        "display in another order than it was typed."
    ),
    "direction_mark": _(
        "Remove the invisible direction mark (%(char)s): a name cannot hold "
        "invisible characters, which would make it look like another one."
    ),
    "control_character": _("Remove the invisible control character (%(char)s)."),
}


def single_line_refusal(value: str) -> ValidationError | None:
    """The error for the first character a one-line name may not hold, or None."""
    for char in value:
        code = _character_class(char)
        if code is not None:
            return ValidationError(_REFUSALS[code], code=code, params={"char": _code_point(char)})
    return None


def validate_single_line(value: str) -> None:
    """Validator of single-line names and titles (model fields, form and serializer fields):
    no control character, line break, tab, bidirectional control or direction mark."""
    if not isinstance(value, str):
        return  # another validator (or the field's to_python) answers for the type
    error = single_line_refusal(value)
    if error is not None:
        raise error


def _breaks_a_line(char: str) -> bool:
    return (
        char in LINE_BREAKS
        or char in BIDI_CONTROLS
        or char in DIRECTION_MARKS
        or unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp")
    )


def one_line(value: object, *, max_length: int = SUBJECT_MAX_LENGTH) -> str:
    """``value`` as one line: every run of whitespace, control characters, bidirectional
    controls and direction marks becomes one space, the ends are trimmed, and a value longer
    than ``max_length`` is cut, ending with an ellipsis."""
    text = "".join(" " if _breaks_a_line(char) else char for char in str(value))
    text = " ".join(text.split())
    if len(text) > max_length:
        text = text[: max_length - 1].rstrip() + "\u2026"
    return text


def email_subject(value: object, *, max_length: int = SUBJECT_MAX_LENGTH) -> str:
    """The subject line of an e-mail we send: always one header-safe line, whatever stored
    value (a pseudonym, an organisation's name) went into it. Every ``send_mail`` of hrdcase
    builds its subject with this, so a value that slipped past input validation (a row older
    than the rule, a raw write) can no longer make the mail library refuse the message."""
    return one_line(value, max_length=max_length)
