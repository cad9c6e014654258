"""The domain's names are imported on first use: every exported name resolves, each to the
object its module defines, and importing the package alone loads none of the records."""

from __future__ import annotations

import importlib

import factdesk.domain as domain
from tests.fresh import run_python


def test_every_exported_name_resolves_to_its_modules_object() -> None:
    assert sorted(domain.__all__) == sorted(domain._MODULE_OF)
    for name in domain.__all__:
        module = importlib.import_module(f"factdesk.domain.{domain._MODULE_OF[name]}")
        assert getattr(domain, name) is getattr(module, name)


def test_an_enum_comes_without_the_records() -> None:
    code = (
        "import sys\n"
        "from factdesk.domain import ClaimStatus\n"
        "print('factdesk.domain.records' in sys.modules)"
    )
    assert run_python(code).strip() == "False"
