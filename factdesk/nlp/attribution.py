"""Who asserts a sentence, what kind of claim it is, and what it quotes.

The claimant is the subject of a reporting verb (said, told, claimed, denied...), the object of
"according to", or, for a pronoun subject ("It said ..."), the claimant of the previous statement.
Rules on the dependency parse: the parser already ran, so they cost a walk over a sentence's tokens.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from factdesk.domain import ClaimKind

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

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
    "dispute",
    "reject",
    "rebut",
    "contest",
    "counter",
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
_PERSON = frozenset({"PERSON"})
_NAMED = frozenset({"PERSON", "ORG", "GPE", "NORP"})
TITLES = frozenset(
    [
        "mayor",
        "governor",
        "president",
        "senator",
        "sen",
        "representative",
        "rep",
        "councillor",
        "councilman",
        "councilwoman",
        "minister",
        "secretary",
        "chancellor",
        "premier",
        "judge",
        "justice",
        "general",
        "gen",
        "colonel",
        "col",
        "mr",
        "mrs",
        "ms",
        "dr",
        "professor",
        "prof",
        "sheriff",
        "commissioner",
        "chairman",
        "chairwoman",
        "chair",
        "director",
        "ambassador",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "king",
        "queen",
        "prince",
        "pope",
        "bishop",
        "speaker",
    ]
)
# modifiers that can carry someone else's counter-claim inside a sentence
_NESTED = frozenset({"appos", "npadvmod", "acl", "relcl", "advcl", "parataxis"})
# how a verb without a subject hangs from the verb whose subject it shares
_SHARES_SUBJECT = frozenset({"conj", "advcl", "xcomp", "pcomp", "prep"})
_NOUN_TAGS = frozenset({"NNP", "NNPS", "NN", "NNS"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})

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
        stack.extend(
            c
            for c in tok.children
            if c.dep_ not in _SUBJECT_PARTS
            and not (c.tag_.startswith("VB") and c.lower_ in REPORTING_FORMS)
        )
    doc = head.doc
    return doc[lo].idx, doc[hi].idx + len(doc[hi].text)


def _depth(tok: Token) -> int:
    depth = 0
    while tok.head.i != tok.i and depth < 50:
        tok = tok.head
        depth += 1
    return depth


@dataclass(frozen=True)
class Mention:
    """Who a reporting construction names: the words, their character span in the parsed text.

    `pronoun` is set for "he", "she", "it", "they" (the caller resolves it); `description` is the
    head noun of a definite description ("the mayor" -> "mayor") that may name someone met earlier;
    `person` says the words are a person's name.
    """

    text: str
    start: int
    end: int
    pronoun: str | None = None
    description: str | None = None
    person: bool = False


def _entity_of(tok: Token, labels: frozenset[str]) -> Span | None:
    if tok.ent_type_ not in labels:
        return None
    return next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)


def person_name(ent: Span) -> tuple[int, int]:
    """Token range of a person's name with the capitalised titles right before it.

    "Governor Tom Reed" and "President Volodymyr Zelensky" keep their title; a lower-case job
    ("spokesman John Kirby") or an organisation before it ("US National Security Council") is not
    part of the name.
    """
    lo = ent.start
    doc = ent.doc
    if ent.end - lo > 1 and doc[lo].lower_ in REPORTING_FORMS:
        return lo + 1, ent.end  # 'Said Ellis: "..."' read as one name
    while lo > 0:
        prev = doc[lo - 1]
        if (
            prev.tag_ == "NNP"
            and prev.ent_type_ == ""
            and prev.is_title
            and prev.head.i >= ent.start
        ):
            lo -= 1
        else:
            break
    return lo, ent.end


def titled_name(tok: Token) -> tuple[int, int] | None:
    """Token range of "Mayor Daniel Osei" headed by `tok`: proper nouns led by a title.

    The small pipeline's recogniser misses many such names (it tags this one a work of art).
    """
    if tok.tag_ != "NNP":
        return None
    lo = tok.i
    doc = tok.doc
    while lo > 0 and doc[lo - 1].tag_ == "NNP" and doc[lo - 1].head.i == tok.i:
        lo -= 1
    if lo < tok.i and doc[lo].lower_.rstrip(".") in TITLES and doc[lo + 1].is_title:
        return lo, tok.i + 1
    return None


def _named(tok: Token) -> Mention:
    """The mention headed by `tok`: a person's name, an organisation's name, or the noun phrase."""
    doc = tok.doc
    person = _entity_of(tok, _PERSON)
    if person is not None:
        lo, hi = person_name(person)
        return _mention(doc, lo, hi, person=True)
    titled = titled_name(tok)
    if titled is not None:
        return _mention(doc, *titled, person=True)
    # an apposition names whom a description means: "Her rival, Governor Tom Reed, said",
    # "the EU statistics office Eurostat said"
    for child in tok.children:
        if child.dep_ == "appos" and child.ent_type_ in _NAMED and child.i > tok.i:
            return _named(child)
    org = _entity_of(tok, _NAMED)
    start, end = _phrase(tok)
    if org is not None and org.root.i == tok.i:
        before = [t for t in doc[org.start - 3 : org.start] if t.idx >= start] if org.start else []
        if any(t.tag_ in ("NN", "NNS") for t in before):
            # "the EU statistics office Eurostat" headed by Eurostat: the name, not the description
            return _mention(doc, org.start, org.end)
    text = doc.text[start:end]
    description = None
    if (
        tok.tag_ in ("NN", "NNS")
        and tok.ent_type_ == ""
        and tok.i > 0
        and doc[tok.i - 1].lower_ == "the"
        and doc[tok.i - 1].head.i == tok.i
    ):
        description = tok.lower_
    return Mention(text, start, end, description=description)


def _mention(doc: Doc, lo: int, hi: int, *, person: bool = False) -> Mention:
    start, end = doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1].text)
    return Mention(doc.text[start:end], start, end, person=person)


def _quoted(subj: Token, verb: Token) -> bool:
    """Whether a subject before the verb stands inside the quotation the verb reports: the
    quotation closes between them, right before the verb ('"... Full panic mode," said Leslie
    Wimes'; not the apostrophe of "the Court of Appeals' Board says")."""
    return subj.i < verb.i and any(
        t.tag_ == "''" for t in subj.doc[max(subj.i + 1, verb.i - 2) : verb.i]
    )


def _inverted(verb: Token) -> Token | None:
    """The name right after a reporting verb that follows a quotation ('"...," said James
    Acton'), even when the parser left it out of the verb's sentence, or that opens the sentence
    ('Said Ellis: "..."'): the head of its phrase."""
    doc = verb.doc
    if verb.i + 1 >= len(doc):
        return None
    opens = verb.i == verb.sent.start and verb.is_title
    if not opens and not any(t.tag_ == "''" for t in doc[max(0, verb.i - 3) : verb.i]):
        return None
    tok = doc[verb.i + 1]
    if tok.tag_ not in ("NNP", "NNPS", "NN", "NNS", "DT"):
        return None
    steps = 0
    while tok.head.i != tok.i and tok.head.i > verb.i and tok.head.tag_ in _NOUN_TAGS and steps < 8:
        tok = tok.head
        steps += 1
    return tok if tok.tag_ in _NOUN_TAGS else None


def _own_speaker(tok: Token) -> Token | None:
    """The speaker the reporting verb `tok` names itself: its subject, its agent ("denied by
    Y"), or the name after it ('"...," said Y')."""
    subjects = [c for c in tok.children if c.dep_ == "nsubj" and not _quoted(c, tok)]
    subj = subjects[0] if subjects else None
    if subj is not None and subj.tag_ in ("WP", "WDT") and tok.dep_ == "relcl":
        return tok.head  # "Zelensky, who said ..."
    if subj is not None:
        return subj
    agent = next((c for c in tok.children if c.dep_ == "agent"), None)
    if agent is not None:  # "a claim denied by President Zelensky"
        return next((c for c in agent.children if c.dep_ == "pobj"), None)
    return _inverted(tok)


def _speaker_token(tok: Token) -> Token | None:
    """The token naming who speaks through the reporting verb `tok`, if any.

    A verb without a subject of its own shares the subject of the verb it is coordinated with or
    hangs from ("Cruz exhorted Republicans ... and said", "Trump attacked Clinton, saying ...",
    "Dean began by saying ...").
    """
    own = _own_speaker(tok)
    if own is not None:
        return own
    head = tok
    for _ in range(3):
        if head.dep_ not in _SHARES_SUBJECT or head.head.i == head.i:
            return None
        head = head.head
        if head.tag_.startswith("VB"):
            outer = next(
                (c for c in head.children if c.dep_ == "nsubj" and not _quoted(c, head)), None
            )
            if outer is not None and outer.tag_ not in ("WP", "WDT"):
                return outer
            if head.dep_ not in ("conj", "advcl", "xcomp"):
                return None
    return None


def _closed_quotes(doc: Doc) -> list[tuple[int, int]]:
    """The character spans of the parsed text inside closed quotation marks (worked out once per
    parsed text)."""
    spans = doc.user_data.get("factdesk.quotes")
    if spans is None:
        text = doc.text
        spans = [(a, b) for a, b in quote_spans(text) if b < len(text)]
        doc.user_data["factdesk.quotes"] = spans
    return spans


def _reports(sent: Span) -> list[tuple[int, Token, Token]]:
    """(depth, reporting word, speaker) of each reporting construction in the sentence."""
    found = []
    inside = _closed_quotes(sent.doc)
    for tok in sent:
        if inside and any(a <= tok.idx < b for a, b in inside):
            continue  # '"... for the president to say ..."': the quotation's words, not its speaker
        if tok.lower_ in REPORTING_FORMS and tok.tag_.startswith("VB"):
            speaker = _speaker_token(tok)
            if speaker is not None:
                found.append((_depth(tok), tok, speaker))
        elif tok.lower_ == "according":
            to = next((c for c in tok.children if c.lower_ == "to"), None)
            obj = _object_of(to) if to is not None else None
            if obj is not None:
                found.append((_depth(tok) + 1, tok, obj))
    return found


def _object_of(to: Token) -> Token | None:
    """Whom "according to" names: its object, or the noun the parser hung elsewhere under "to"
    ("according to show insiders", parsed as a verb "show" with an object)."""
    obj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if obj is not None:
        return obj
    nouns = [t for t in to.subtree if t.tag_ in _NOUN_TAGS and t.head.tag_ not in _NOUN_TAGS]
    return nouns[0] if nouns else None


def _mention_of(speaker: Token) -> Mention | None:
    if speaker.tag_ == "PRP" or speaker.lower_ in _RESOLVABLE_PRONOUNS:
        if speaker.lower_ not in _RESOLVABLE_PRONOUNS:
            return None  # "I said", "we said": the speaker is not named here
        antecedent = _antecedent(speaker) if speaker.lower_ in ("he", "she") else None
        if antecedent is not None:
            return _mention(speaker.doc, *person_name(antecedent), person=True)
        s = speaker.idx
        return Mention(speaker.text, s, s + len(speaker.text), pronoun=speaker.lower_)
    return _named(speaker)


def _antecedent(pronoun: Token) -> Span | None:
    """The person a "he" or "she" means when the sentence names one before it as its subject or
    the subject's owner ("Oz's advice earned him the attention of Congress, where he ...")."""
    found = None
    for ent in pronoun.sent.ents:
        if ent.end > pronoun.i:
            break
        root = ent.root
        if ent.label_ == "PERSON" and (
            root.dep_ in _SUBJECTS or (root.dep_ == "poss" and root.head.dep_ in _SUBJECTS)
        ):
            found = ent
    return found


def claimant_mention(sent: Span) -> Mention | None:
    """The speaker of the sentence: the subject of its outermost reporting verb, or "according to"."""
    reports = _reports(sent)
    verbs = [r for r in reports if r[1].lower_ != "according"]
    best = min(verbs or reports, key=lambda r: r[0], default=None)
    return _mention_of(best[2]) if best is not None else None


def nested_split(sent: Span) -> tuple[int, Mention] | None:
    """Where a counter-claim inside the sentence begins, and who makes it.

    "X said A, a claim denied by Y, who said B": the words from "a claim" on are Y's, not X's.
    The nested claim is a modifier set off by a comma (an apposition, a relative or participle
    clause) whose reporting verb has another speaker; the sentence is cut where it begins.
    """
    reports = _reports(sent)
    if len(reports) < 2:
        return None
    main = min(reports, key=lambda r: r[0])
    for _, verb, speaker in sorted(reports, key=lambda r: r[1].i):
        if verb.i <= main[1].i or speaker.i == main[2].i:
            continue
        if verb.lower_ != "according" and _own_speaker(verb) is None:
            continue  # a subject shared with another verb is a voice already heard
        chain = []
        tok = verb
        while tok.head.i != tok.i and tok.i != main[1].i:
            chain.append(tok)
            tok = tok.head
        if tok.i != main[1].i or not any(t.dep_ in _NESTED for t in chain):
            continue
        last = max(t.i for t in sent if not t.is_punct)
        # the highest phrase on the way up that is set off by a comma and runs to the end
        lo = None
        for t in chain:
            left = t.left_edge.i
            if (
                left > main[1].i
                and left > sent.start + 2
                and t.right_edge.i >= last
                and sent.doc[left - 1].text in (",", "—", "–", ";")
            ):
                lo = left
        if lo is None:
            continue
        mention = _mention_of(speaker)
        if mention is None:
            continue
        return sent.doc[lo].idx, mention
    return None


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans inside quotation marks in a paragraph (an unclosed quote runs to the end)."""
    spans = []
    closer: str | None = None
    start = 0
    for i, ch in enumerate(text):
        if closer is not None and ch == closer:
            spans.append((start, i))
            closer = None
        elif closer is None and ch in _OPEN:
            closer, start = _OPEN[ch], i + 1
    if closer is not None:
        spans.append((start, len(text)))
    return spans


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
