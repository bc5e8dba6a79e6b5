"""The package layout stays readable: the static check of .ci/layout_check.py, on this repo and on fakes."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from tests.conftest import ROOT


def _checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("layout_check", ROOT / ".ci" / "layout_check.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _package(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / "assistant" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_this_repository_has_no_layout_problem() -> None:
    assert _checker().problems(ROOT) == []


def test_a_function_level_import_cycle_is_found(tmp_path: Path) -> None:
    root = _package(
        tmp_path,
        {
            "__init__.py": "",
            "index/__init__.py": "",
            "index/a.py": "def f():\n    from assistant.index.b import g\n",
            "index/b.py": "from assistant.index import a\n",
        },
    )
    assert _checker().problems(root) == ["import cycle: assistant.index.a <-> assistant.index.b"]


def test_type_checking_imports_do_not_count(tmp_path: Path) -> None:
    root = _package(
        tmp_path,
        {
            "__init__.py": "",
            "answer/__init__.py": "",
            "answer/chain.py": "from assistant.answer.generate import x\n",
            "answer/generate.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
            "    from assistant.answer.chain import Assistant\nx = 1\n",
        },
    )
    assert _checker().problems(root) == []


def test_kernel_imports_and_size_limits_are_enforced(tmp_path: Path) -> None:
    files = {
        "__init__.py": "",
        "web/__init__.py": "",
        "web/ui.py": "",
        "config.py": "from assistant.web import ui\n",
    }
    files |= {f"extra{i}.py": "" for i in range(10)}
    files["web/big.py"] = "x = 1\n" * 301
    found = _checker().problems(_package(tmp_path, files))
    assert "kernel module assistant.config imports stage module assistant.web.ui" in found
    assert "assistant/web/big.py has 301 lines (max 300)" in found
    assert any(p.startswith("assistant/ has 12 top-level modules") for p in found)
