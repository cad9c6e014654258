"""Text clean-up shared by every importer: decoding bytes, normalising, guessing a title.

The article text is stored exactly as normalised here and claim offsets point into it, so
`normalize` must be deterministic and idempotent.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from factdesk.domain import ImportFailedError

# Characters that end a line wherever they appear (Unicode line/paragraph separators, NEL,
# vertical tab, form feed: PDF and Word exports use the last two for page and line breaks).
_LINE_BREAKS = "\r\u2028\u2029\u0085\v\f"
# Invisible characters that only get in the way of display and matching, and the Latin
# ligatures PDF text layers are full of ("ﬁghting" would never match "fighting").
_INVISIBLE: dict[int, str | None] = dict.fromkeys(map(ord, "\ufeff\u00ad\u200b\u2060"), None)
_INVISIBLE.update({cp: unicodedata.normalize("NFKC", chr(cp)) for cp in range(0xFB00, 0xFB07)})
# Every Unicode space other than the ASCII one and the line breaks above (str.isspace(); a test
# keeps this list complete): each becomes an ASCII space.
_ODD_SPACES = "\t\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
# One str.translate does all three: regular expressions over character classes took 0.1 s per MB.
_TRANSLATION: dict[int, str | None] = {
    **_INVISIBLE,
    **dict.fromkeys(map(ord, _LINE_BREAKS), "\n"),
    **dict.fromkeys(map(ord, _ODD_SPACES), " "),
}
# C0/C1 controls except tab and newline, and lone surrogates (they cannot be stored as UTF-8).
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_SPACE_RUNS = re.compile(" {2,}")
_BLANK_RUNS = re.compile(r"\n{3,}")

_HEADING_END = re.compile(r"[.,;:]$")


def normalize(text: str) -> str:
    """NFC, `\\n` line endings, single spaces, no blank runs: the text exactly as stored.

    Paragraphs stay one per line with at most one blank line between them. Control characters
    other than the newline are dropped; every run of Unicode spaces (NBSP, thin space, tab) becomes
    one ASCII space so that search and claim detection see ordinary words.
    """
    text = text.replace("\r\n", "\n").translate(_TRANSLATION)
    text = _CONTROLS.sub("", text)
    text = unicodedata.normalize("NFC", text)
    text = "\n".join(line.strip() for line in _SPACE_RUNS.sub(" ", text).split("\n"))
    if "\n\n\n" in text:
        text = _BLANK_RUNS.sub("\n\n", text)
    # NFC of a run can differ from the NFC of its pieces only around removed characters;
    # a second pass keeps the function idempotent.
    return unicodedata.normalize("NFC", text.strip("\n"))


def require_text(text: str, source: str) -> str:
    """Normalise and refuse an empty result with a message naming the source."""
    clean = normalize(text)
    if not clean:
        raise ImportFailedError(source, "it contains no text (empty or only whitespace)")
    return clean


def guess_title(text: str, *, max_words: int = 10) -> str:
    """The first line when it reads like a heading, else the first words of the text."""
    lines = [line for line in text.split("\n") if line.strip()]
    if not lines:
        return ""
    first = lines[0].strip()
    words = first.split()
    if len(lines) > 1 and len(words) <= 16 and len(first) <= 120 and not _HEADING_END.search(first):
        return first
    all_words = text.split()
    head = " ".join(all_words[:max_words])
    return head + ("…" if len(all_words) > max_words else "")


_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Byte values that never occur in text in any common encoding (C0 controls except tab,
# line feed, form feed, carriage return and escape, plus DEL).
_BINARY_BYTES = frozenset([*range(0, 9), 11, *range(14, 27), *range(28, 32), 127])


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM shows as NUL bytes at every other position for Latin text."""
    if len(data) < 4 or len(data) % 2:
        return None
    even_nuls = data[0::2].count(0)
    odd_nuls = data[1::2].count(0)
    half = len(data) // 2
    if odd_nuls > 0.3 * half and even_nuls < 0.05 * half:
        encoding = "utf-16-le"
    elif even_nuls > 0.3 * half and odd_nuls < 0.05 * half:
        encoding = "utf-16-be"
    else:
        return None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _legacy_bytes_handler(encoding: str) -> str:
    """The name of a codec error handler that reads undecodable bytes in `encoding`."""
    name = f"factdesk-{encoding}"

    def handler(exc: UnicodeError) -> tuple[str, int]:
        assert isinstance(exc, UnicodeDecodeError)
        return exc.object[exc.start : exc.end].decode(encoding, errors="replace"), exc.end

    try:
        codecs.lookup_error(name)
    except LookupError:
        codecs.register_error(name, handler)
    return name


def _cyrillic_share(text: str) -> float:
    letters = [ch for ch in text if ord(ch) > 0x7F and ch.isalpha()]
    return sum(1 for ch in letters if "\u0400" <= ch <= "\u04ff") / max(1, len(letters))


def _utf8_with_legacy_repairs(data: bytes) -> str | None:
    """Mostly-UTF-8 bytes with stray legacy bytes (text pasted together from two sources).

    Only used when the valid part really is UTF-8 (it holds more multi-byte characters than
    there are bad bytes). The stray bytes are read as Windows-1251 when the UTF-8 part is
    mostly Cyrillic, else as Windows-1252: what such bytes almost always are.
    """
    text = data.decode("utf-8", errors="replace")
    good_multibyte = sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    # Legacy single-byte text can hold a valid UTF-8 pair by accident (KOI8-R "её" is one);
    # real mixed files are mostly UTF-8 with a few stray bytes.
    if good_multibyte == 0 or good_multibyte < text.count("\ufffd"):
        return None
    legacy = "cp1251" if _cyrillic_share(text) > 0.5 else "cp1252"
    repaired = data.decode("utf-8", errors=_legacy_bytes_handler(legacy))
    bad_count = repaired.count("\ufffd")
    return repaired if bad_count <= max(2, len(repaired) // 1000) else None


def decode_bytes(data: bytes, source: str, *, hint: str | None = None) -> str:
    """Decode text in any common encoding; refuse binary data with a message saying so.

    Order: a BOM, strict UTF-8, a declared charset (`hint`, from HTML or HTTP), UTF-16 without
    BOM, UTF-8 mixed with stray legacy bytes, then charset-normalizer's best guess.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                raise ImportFailedError(
                    source, f"it starts as {encoding.upper()} text but the bytes after are damaged"
                ) from None
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    binary = sum(1 for b in data[:65536] if b in _BINARY_BYTES)
    if binary > max(0, len(data[:65536]) // 1000):
        raise ImportFailedError(source, "it is binary data, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if hint:
        try:
            return data.decode(_codec_name(hint) or "", errors="strict")
        except (UnicodeDecodeError, LookupError):
            pass
    repaired = _utf8_with_legacy_repairs(data)
    if repaired is not None:
        return repaired
    return _guess_legacy(data, source)


def _codec_name(label: str) -> str | None:
    try:
        return codecs.lookup(label.strip().strip("\"'").lower()).name
    except LookupError:
        return None


# charset-normalizer can prefer exotic code pages that decode anything; journalists' files
# come in these, so a close call goes to them.
_PREFERRED = (
    "cp1252",
    "cp1251",
    "koi8_r",
    "koi8_u",
    "latin_1",
    "iso8859_15",
    "cp1250",
    "iso8859_2",
)


def _guess_legacy(data: bytes, source: str) -> str:
    from charset_normalizer import from_bytes

    matches = from_bytes(data, cp_isolation=None, threshold=0.3)
    best = matches.best()
    if best is None:
        raise ImportFailedError(source, "its bytes are not text in any encoding factdesk knows")
    # Among guesses about as clean as the best, the most common encoding of news text wins.
    close = [m for m in matches if m.encoding in _PREFERRED and m.chaos <= best.chaos + 0.02]
    chosen = min(close, key=lambda m: _PREFERRED.index(m.encoding)) if close else best
    text = str(chosen)
    if chosen.chaos > 0.25:
        raise ImportFailedError(
            source, "its bytes do not read as text (binary data or a damaged file)"
        )
    return text


_LIST_ITEM = re.compile(r"^(?:[-*•–]\s|\d{1,3}[.)]\s|[a-z][.)]\s)")


def unwrap_hard_wrapped(text: str) -> str:
    """Join lines of text wrapped at a fixed width (e-mail, wire copy) back into paragraphs.

    Only when the text really is wrapped: no line much longer than the wrap width of 40 to 100
    characters, and multi-line blocks. A short line still ends its paragraph (a heading, a
    signature, an address line), and list items keep their own lines.
    """
    lines = text.split("\n")
    filled = sorted(len(line) for line in lines if line.strip())
    if len(filled) < 3:
        return text
    width = filled[int(0.9 * (len(filled) - 1))]
    if not 40 <= width <= 100 or filled[-1] > width + 10:
        return text
    blocks = text.split("\n\n")
    if sum(1 for block in blocks if block.count("\n") >= 1) < max(1, 0.3 * len(blocks)):
        return text
    out: list[str] = []
    for line in lines:
        previous = out[-1] if out else ""
        if previous and line and len(previous) >= 0.6 * width and not _LIST_ITEM.match(line):
            joiner = "" if previous.endswith("-") and line[:1].islower() else " "
            out[-1] = previous + joiner + line
        else:
            out.append(line)
    return "\n".join(out)
