"""Writing reports: every format to disk, two files for CSV, nothing half-written on failure."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from factdesk.domain import FactdeskError, InvalidInputError
from factdesk.reports import FORMATS, ReportData, ReportWriteError, render, write
from tests.fresh import run_python

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_is_written_whole(data: ReportData, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"report.{fmt}"
    written = write(data, fmt, target)
    assert written[0] == target
    assert target.read_bytes() == render(data, fmt) or fmt == "pdf"  # PDFs carry a creation date
    assert target.stat().st_size > 500
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in written)


def test_csv_writes_claims_and_evidence_files(data: ReportData, tmp_path: Path) -> None:
    written = write(data, "csv", tmp_path / "board.csv")
    assert [p.name for p in written] == ["board.csv", "board-evidence.csv"]
    assert b"link_id" in written[1].read_bytes() and b"claim_no" in written[0].read_bytes()


def test_a_failed_export_leaves_the_old_file_untouched(data: ReportData, tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    target.write_bytes(b"previous report")
    with pytest.raises(InvalidInputError):
        write(data, "pdf", target, paper="A3")
    with pytest.raises(InvalidInputError, match="html, pdf, md, csv, claimreview"):
        write(data, "docx", target)
    assert target.read_bytes() == b"previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]  # no temporary files left


def test_unwritable_places_give_a_readable_error(data: ReportData, tmp_path: Path) -> None:
    with pytest.raises(ReportWriteError, match="does not exist"):
        write(data, "html", tmp_path / "missing" / "report.html")
    folder = tmp_path / "taken.html"
    folder.mkdir()  # a folder where the file should go
    with pytest.raises(FactdeskError, match="Cannot write the report"):
        write(data, "html", folder)
    assert [p.name for p in tmp_path.iterdir()] == ["taken.html"]


def test_importing_reports_loads_no_qt() -> None:
    code = "import sys, factdesk.reports; print('PySide6' in sys.modules)"
    assert run_python(code).strip() == "False"
