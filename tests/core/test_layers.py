"""The headless core stays headless: importing it loads no Qt, no spaCy and creates no files."""

from __future__ import annotations

import os
from pathlib import Path

from tests.fresh import run_python


def test_core_imports_load_neither_qt_nor_spacy_and_create_nothing(tmp_path: Path) -> None:
    home = tmp_path / "untouched"
    code = (
        "import sys, factdesk.services, factdesk.cli, factdesk.app, factdesk.nlp, factdesk.reports\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'spacy', 'thinc')]\n"
        "print(','.join(bad))"
    )
    assert run_python(code, env={**os.environ, "FACTDESK_HOME": str(home)}).strip() == ""
    assert not home.exists()
