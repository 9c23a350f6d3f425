"""A contact as a vCard 3.0 (RFC 2426) that phones import: UTF-8, CRLF line ends, text values
escaped, lines folded at 75 octets without splitting a character."""

from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from contacts import phones
from contacts.models import Contact
from desk.text import digits_only, to_persian_digits


def escape(value: str) -> str:
    """A text value: backslash, comma, semicolon and new lines escaped (RFC 2426 §4)."""
    value = value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str, limit: int = 75) -> str:
    """One content line folded into chunks of at most `limit` octets, continuation lines
    starting with a space (which counts towards their limit)."""
    chunks, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            chunks.append(current)
            current, size, limit = "", 1, 75  # the leading space of the next line
        current += char
        size += width
    chunks.append(current)
    return "\r\n ".join(chunks)


def to_vcard(contact: Contact, *, organisation: str = "") -> str:
    unit = contact.unit
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"N:{escape(contact.name)};;;;",
        f"FN:{escape(contact.name or contact.role)}",
        f"ORG:{';'.join(escape(part) for part in (organisation, unit.name) if part)}",
        f"TITLE:{escape(contact.role)}",
        f"TEL;TYPE=WORK,VOICE:{_dialable(contact.phone)}",
    ]
    for number in contact.other_number_list:
        kind = "CELL" if digits_only(number).startswith("09") else "WORK,VOICE"
        lines.append(f"TEL;TYPE={kind}:{_dialable(number)}")
    if contact.email:
        lines.append(f"EMAIL;TYPE=INTERNET:{contact.email}")
    if note := _note(contact):
        lines.append(f"NOTE:{escape(note)}")
    lines.append("END:VCARD")
    return "".join(fold(line) + "\r\n" for line in lines)


def _dialable(number: str) -> str:
    number = phones.normalize_phone(number)
    return ("+" if number.startswith("+") else "") + digits_only(number)


def _note(contact: Contact) -> str:
    # vCard 3.0 has no agreed place for an extension: a note says it in words.
    unit = contact.unit
    extension = to_persian_digits(contact.extension) if get_language_bidi() else contact.extension
    parts = [
        _("Extension: %(extension)s") % {"extension": extension} if contact.extension else "",
        unit.location,
        _("Working hours: %(hours)s") % {"hours": unit.working_hours} if unit.working_hours else "",
    ]
    return "\n".join(part for part in parts if part)
