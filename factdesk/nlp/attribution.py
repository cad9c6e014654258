"""Who asserts a sentence, what kind of claim it is, and what it quotes.

The claimant is the subject of a reporting verb (said, told, claimed, denied...), the object of
"according to", or, for a pronoun subject ("It said ..."), the claimant of the previous statement.
Rules on the dependency parse: the parser already ran, so they cost a walk over a sentence's tokens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from factdesk.domain import ClaimKind

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_REPORTING_STEMS = {
    "say": ("say", "says", "said", "saying"),
    "tell": ("tell", "tells", "told", "telling"),
    "write": ("write", "writes", "wrote", "written", "writing"),
    "testify": ("testify", "testifies", "testified", "testifying"),
    "deny": ("deny", "denies", "denied", "denying"),
    "admit": ("admit", "admits", "admitted", "admitting"),
}
_REGULAR = [
    "claim",
    "announce",
    "state",
    "add",
    "insist",
    "argue",
    "report",
    "warn",
    "estimate",
    "confirm",
    "allege",
    "assert",
    "note",
    "explain",
    "predict",
    "acknowledge",
    "accuse",
    "tweet",
    "post",
    "declare",
    "maintain",
    "contend",
    "reveal",
    "stress",
    "suggest",
    "promise",
    "vow",
    "pledge",
    "concede",
    "recall",
    "complain",
    "boast",
    "reply",
    "respond",
    "answer",
    "repeat",
    "emphasize",
    "emphasise",
    "caution",
    "forecast",
]


def _forms(verb: str) -> tuple[str, ...]:
    base = verb[:-1] if verb.endswith("e") else verb
    third = verb + ("es" if verb.endswith(("s", "sh", "ch")) else "s")
    return (verb, third, base + "ed", base + "ing")


REPORTING_FORMS = frozenset(
    form for forms in [*_REPORTING_STEMS.values(), *(_forms(v) for v in _REGULAR)] for form in forms
)
_RESOLVABLE_PRONOUNS = frozenset({"it", "he", "she", "they"})
_SUBJECT_PARTS = frozenset({"relcl", "acl", "appos", "punct", "advcl", "parataxis", "prep_by"})

_OPEN = {"“": "”", "«": "»", "„": "“", '"': '"'}
_CLOSE_ONLY = frozenset("”»")

_CAUSAL = frozenset(
    [
        "because",
        "due",
        "caused",
        "causes",
        "cause",
        "causing",
        "led",
        "leads",
        "lead",
        "result",
        "resulted",
        "thanks",
        "owing",
        "therefore",
        "hence",
        "blamed",
        "blames",
        "blame",
        "driven",
        "fuelled",
        "fueled",
        "triggered",
        "sparked",
    ]
)
_PREDICTION = frozenset(
    [
        "will",
        "would",
        "'ll",
        "shall",
        "forecast",
        "forecasts",
        "predicted",
        "predicts",
        "projected",
        "expected",
        "likely",
    ]
)
_COMPARATIVE_TAGS = frozenset({"JJR", "JJS", "RBR", "RBS"})
_COMPARATIVE_WORDS = frozenset({"than", "compared", "versus", "most", "least"})
_NUMBER_WORDS = frozenset(
    [
        "hundred",
        "hundreds",
        "thousand",
        "thousands",
        "million",
        "millions",
        "billion",
        "billions",
        "trillion",
        "percent",
        "per",
        "cent",
        "dozen",
        "dozens",
        "half",
        "twice",
    ]
)
_MEASURE_ENTS = frozenset({"PERCENT", "MONEY", "QUANTITY"})
_TIME_ENTS = frozenset({"DATE", "TIME", "ORDINAL"})


def _phrase(head: Token) -> tuple[int, int]:
    """Character span of the noun phrase headed by `head`, without relative clauses or appositions."""
    lo, hi = head.i, head.i
    stack = [head]
    while stack:
        tok = stack.pop()
        lo, hi = min(lo, tok.i), max(hi, tok.i)
        stack.extend(c for c in tok.children if c.dep_ not in _SUBJECT_PARTS)
    doc = head.doc
    return doc[lo].idx, doc[hi].idx + len(doc[hi].text)


def _depth(tok: Token) -> int:
    depth = 0
    while tok.head.i != tok.i and depth < 50:
        tok = tok.head
        depth += 1
    return depth


def claimant_phrase(sent: Span) -> tuple[str | None, bool]:
    """(claimant, is_pronoun): the speaker named in the sentence; a pronoun is left to the caller."""
    best: Token | None = None
    best_depth = 1 << 30
    for tok in sent:
        if tok.lower_ in REPORTING_FORMS and tok.tag_.startswith("VB"):
            subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            if subj is not None:
                d = _depth(tok)
                if d < best_depth:
                    best, best_depth = subj, d
        elif tok.lower_ == "according":
            to = next((c for c in tok.children if c.lower_ == "to"), None)
            obj = next((c for c in to.children if c.dep_ == "pobj"), None) if to else None
            if obj is not None and best is None:
                best, best_depth = obj, _depth(tok) + 1
    if best is None:
        return None, False
    if best.tag_ == "PRP" or best.lower_ in _RESOLVABLE_PRONOUNS:
        return (best.lower_ if best.lower_ in _RESOLVABLE_PRONOUNS else None), True
    if best.ent_type_ == "PERSON":
        # "US National Security Council spokesman John Kirby" -> the person, without the title
        person = next(e for e in best.doc.ents if e.start <= best.i < e.end)
        return person.text, False
    start, end = _phrase(best)
    return best.doc.text[start:end], False


def quoted_words(text: str) -> list[str]:
    """Words inside quotation marks (straight or typographic; an unclosed quote runs to the end)."""
    out: list[str] = []
    buf: list[str] = []
    closer: str | None = None
    if any(c in _CLOSE_ONLY for c in text) and not any(c in "“«„" for c in text.split("”")[0]):
        closer = "”"  # the sentence continues a quotation opened in the previous sentence
    for ch in text:
        if closer is not None and ch == closer:
            out.extend("".join(buf).split())
            buf, closer = [], None
        elif closer is None and ch in _OPEN:
            closer = _OPEN[ch]
        elif closer is not None:
            buf.append(ch)
    if closer is not None:
        out.extend("".join(buf).split())
    return out


def claim_kind(sent: Span, quoted: int, has_claimant: bool) -> ClaimKind:
    """The kind of claim, most specific first: a direct quote, then what the sentence asserts."""
    if quoted >= 4:
        return ClaimKind.QUOTATION
    statistic = causal = prediction = comparison = past = False
    for tok in sent:
        lower = tok.lower_
        ent = tok.ent_type_
        if ent in _MEASURE_ENTS or (
            ent not in _TIME_ENTS
            and (lower in _NUMBER_WORDS or (tok.like_num and any(c.isdigit() for c in lower)))
        ):
            statistic = True
        if lower in _CAUSAL:
            causal = True
        if lower in _PREDICTION:
            prediction = True
        if tok.tag_ in _COMPARATIVE_TAGS or lower in _COMPARATIVE_WORDS:
            comparison = True
        if tok.tag_ == "VBD":
            past = True
    if statistic:
        return ClaimKind.STATISTIC
    if causal:
        return ClaimKind.CAUSAL
    if prediction:
        return ClaimKind.PREDICTION
    if comparison:
        return ClaimKind.COMPARISON
    if has_claimant:
        return ClaimKind.REPORTED
    if past:
        return ClaimKind.EVENT
    return ClaimKind.OTHER
