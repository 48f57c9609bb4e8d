"""Reading a text file of the data set as UTF-8, and naming the encoding it was saved in when it is not.

Spreadsheets save text in several encodings: 'CSV UTF-8' (with or without a byte-order mark, both
accepted), 'Unicode Text' (UTF-16, with a byte-order mark or, from some tools, without one) and plain
'CSV' (Windows-1252 on an English Windows).  Each one that is not UTF-8 is named, with the row where it
shows, so that the file can be saved again as UTF-8.
"""

from __future__ import annotations

import codecs

from finlib.errors import FileProblems

#: How much of a file is looked at for the zero bytes of UTF-16.
SNIFF_BYTES = 4096


def decode_utf8(raw: bytes, at: FileProblems, expected: str) -> str | None:
    """The text of a UTF-8 file (a byte-order mark is dropped); ``None``, with a problem naming the
    encoding and the row, when it is not UTF-8."""
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        at.add(row=1, found="UTF-32 text", expected=expected)
        return None
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        at.add(row=1, found="UTF-16 text (saved as Unicode Text)", expected=expected)
        return None
    utf16 = utf16_without_bom(raw)
    if utf16 is not None:
        at.add(row=1, found=f"UTF-16 {utf16} text without a byte-order mark", expected=expected)
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        at.add(row=line, found=_not_utf8(raw, exc.start), expected=expected)
        return None
    if "\0" in text:
        line = text[: text.index("\0")].count("\n") + 1
        at.add(row=line, found="a zero byte (a binary file?)", expected=expected)
        return None
    return text


def utf16_without_bom(raw: bytes) -> str | None:
    """``'LE'`` or ``'BE'`` when the start of a file reads as UTF-16 text without a byte-order mark: its
    zero bytes (the high half of each Latin letter) fall at every odd, or every even, offset."""
    head = raw[:SNIFF_BYTES]
    head = head[: len(head) // 2 * 2]
    if len(head) < 2 or b"\0" not in head:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) * 2 >= len(odd) and even.count(0) == 0:
        return "LE"
    if even.count(0) * 2 >= len(even) and odd.count(0) == 0:
        return "BE"
    return None


def _not_utf8(raw: bytes, start: int) -> str:
    """What the first byte that is not UTF-8 is: a character of Windows-1252 when the file reads as such."""
    byte = raw[start]
    try:
        raw.decode("cp1252")
    except UnicodeDecodeError:
        return f"byte 0x{byte:02x}"
    character = bytes([byte]).decode("cp1252")
    return f"Windows-1252 text (byte 0x{byte:02x}, {character} in Windows-1252)"
