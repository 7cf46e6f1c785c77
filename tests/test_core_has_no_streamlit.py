"""staymobil_core must stay importable and testable without Streamlit."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import staymobil_core

CORE_DIR = Path(staymobil_core.__file__).resolve().parent


def streamlit_imports(source: str) -> list[str]:
    """Return the import statements in `source` that load Streamlit."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            modules = [node.module or ""]
        else:
            continue
        if any(m == "streamlit" or m.startswith("streamlit.") for m in modules):
            found.append(ast.unparse(node))
    return found


@pytest.mark.parametrize(
    "source",
    [
        "import streamlit as st",
        "import os, streamlit",
        "from streamlit import session_state",
        "from streamlit.runtime import exists",
        "def page():\n    import streamlit\n",
    ],
    ids=["import-as", "import-list", "from-import", "from-submodule", "in-function"],
)
def test_checker_finds_streamlit_import(source):
    assert len(streamlit_imports(source)) == 1


@pytest.mark.parametrize(
    "source",
    ["import streamlit_extras", "from staymobil_core import streamlit_free", "x = 1"],
    ids=["similar-module-name", "similar-attribute", "no-import"],
)
def test_checker_ignores_other_imports(source):
    assert streamlit_imports(source) == []


def test_core_modules_found():
    # Guards against the walk below passing because it read no files.
    assert len(list(CORE_DIR.glob("*.py"))) >= 12


def test_core_has_no_streamlit_import():
    offenders = {
        path.name: found
        for path in sorted(CORE_DIR.glob("*.py"))
        if (found := streamlit_imports(path.read_text(encoding="utf-8")))
    }

    assert offenders == {}
