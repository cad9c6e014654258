"""The importers package costs nothing until used: no parser, Qt or sibling layer at import."""

from __future__ import annotations

from tests.fresh import run_python


def test_importing_the_package_loads_no_parser_and_no_other_layer() -> None:
    probe = (
        "import sys, factdesk.importers\n"
        "heavy = ('trafilatura', 'pypdf', 'docx', 'lxml', 'charset_normalizer', 'PySide6',\n"
        "         'sqlalchemy', 'spacy', 'factdesk.store', 'factdesk.nlp', 'factdesk.services')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy or m in heavy))\n"
    )
    assert run_python(probe).strip() == "[]"
