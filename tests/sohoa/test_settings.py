"""One settings object: defaults, parsing, errors naming the variable, and no other reader."""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

import pytest

from ocr.errors import ConfigurationError
from ocr.settings import ocr_settings, variables
from sohoa.settings import (
    PROJECT_ROOT,
    Settings,
    choose_for_process,
    db_url,
    default_for_process,
    forget_process_choices,
    get_settings,
)

SETTINGS_MODULES = {Path("ocr/settings.py"), Path("plugins/sohoa/settings.py")}


@pytest.fixture(autouse=True)
def _no_process_choices():
    forget_process_choices()
    yield
    forget_process_choices()


def test_defaults():
    s = Settings.from_env({})
    assert s.db_url == "sqlite:///.sohoa/sohoa.db"
    assert s.landing == str(Path(".sohoa") / "landing")
    assert s.s3_endpoint_url is None and s.lookup_key is None
    assert s.reports_dir == Path(".sohoa/reports")
    assert (s.batch_pages, s.ocr_jobs, s.task_retries, s.max_batches) == (25, 1, 3, None)
    assert s.staged_records_hours == 24.0 and s.digitize_schedule == "*/10 * * * *"
    assert s.alert_email == () and s.smtp_port == 25 and not s.debug
    assert s.web.max_files == 50 and s.web.pipeline == "local" and not s.web.secure_cookies
    assert s.ocr.recognizers == ("tesseract", "aster") and s.ocr.ocr_backend == "tesserocr"
    assert s.test_pause_after_rows is None


def test_the_repository_s_files_are_found_from_one_root():
    s = Settings.from_env({})
    assert (PROJECT_ROOT / "pyproject.toml").is_file()
    assert (s.dags_folder / "sohoa_digitize.py").is_file()
    assert (s.migrations_dir / "env.py").is_file()
    assert s.json_schemas_dir.is_dir() and s.expectations_dir.is_dir()
    assert s.compose_file.is_file()


def test_values_are_parsed():
    s = Settings.from_env(
        {
            "SOHOA_BATCH_PAGES": " 7 ",
            "SOHOA_OCR_JOBS": "0",  # raised to the least that works, as always
            "SOHOA_STAGED_RECORDS_HOURS": "1.5",
            "SOHOA_WEB_SECURE_COOKIES": "yes",
            "SOHOA_DEBUG": "0",
            "SOHOA_REPORTS_DIR": "/srv/reports",
            "SOHOA_ALERT_EMAIL": "a@x.vn, b@x.vn,,a@x.vn",
            "SOHOA_RECOGNIZERS": " tesseract ",
            "SOHOA_DIGITIZE_SCHEDULE": "none",
            "SOHOA_LANDING": "   ",  # blank: the default
        }
    )
    assert (s.batch_pages, s.ocr_jobs, s.staged_records_hours) == (7, 1, 1.5)
    assert s.web.secure_cookies and not s.debug
    assert s.reports_dir == Path("/srv/reports")
    assert s.alert_email == ("a@x.vn", "b@x.vn")
    assert s.ocr.recognizers == ("tesseract",)
    assert s.digitize_schedule is None
    assert s.landing == str(Path(".sohoa") / "landing")
    assert Settings.from_env({"SOHOA_DIGITIZE_SCHEDULE": ""}).digitize_schedule is None


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        ("SOHOA_BATCH_PAGES", "many", "a whole number"),
        ("SOHOA_STAGED_RECORDS_HOURS", "a day", "a number"),
        ("SOHOA_WEB_MAX_FILES", "0", "positive"),
        ("SOHOA_WEB_SECURE_COOKIES", "maybe", "1 or 0"),
        ("SOHOA_WEB_PIPELINE", "bogus", "local, external"),
        ("SOHOA_OCR_BACKEND", "abbyy", "tesserocr, pytesseract"),
    ],
)
def test_a_bad_value_is_an_error_naming_its_variable(variable, value, says):
    with pytest.raises(ConfigurationError, match=f"^{variable} must be .*{says}"):
        Settings.from_env({variable: value})


def test_secrets_stay_out_of_the_repr():
    s = Settings.from_env(
        {"SOHOA_DB_URL": "postgresql://u:pw-123@h/db", "SOHOA_LOOKUP_KEY": "k" * 20 + "-secret"}
    )
    assert "pw-123" not in repr(s) and "-secret" not in repr(s)
    assert "batch_pages=25" in repr(s)


def test_the_environment_is_read_again_when_it_changed(monkeypatch):
    monkeypatch.setenv("SOHOA_BATCH_PAGES", "3")
    first = get_settings()
    assert first.batch_pages == 3 and get_settings() is first  # cached while unchanged
    monkeypatch.setenv("SOHOA_BATCH_PAGES", "4")
    assert get_settings().batch_pages == 4
    monkeypatch.setenv("SOHOA_OCR_BACKEND", "pytesseract")
    assert ocr_settings() == get_settings().ocr
    assert ocr_settings().ocr_backend == "pytesseract"


def test_a_process_s_own_values_stay_out_of_the_environment(monkeypatch):
    monkeypatch.delenv("SOHOA_OCR_JOBS", raising=False)
    monkeypatch.setenv("SOHOA_BATCH_PAGES", "3")
    default_for_process(ocr_jobs=8, batch_pages=50)
    assert get_settings().ocr_jobs == 8  # the environment names none
    assert get_settings().batch_pages == 3  # the environment wins over a default
    choose_for_process(batch_pages=9)
    assert get_settings().batch_pages == 9  # a choice wins over the environment
    assert "SOHOA_OCR_JOBS" not in os.environ and os.environ["SOHOA_BATCH_PAGES"] == "3"
    with pytest.raises(ConfigurationError, match="ocr"):
        choose_for_process(ocr="tesseract")


def test_the_default_database_is_an_sqlite_file_under_dot_sohoa(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOHOA_DB_URL", raising=False)
    assert db_url() == "sqlite:///.sohoa/sohoa.db"
    assert (tmp_path / ".sohoa").is_dir()
    monkeypatch.setenv("SOHOA_DB_URL", "postgresql://u@h/db")
    monkeypatch.setenv("SOHOA_VALIDATION_DIR", str(tmp_path / "v"))
    assert db_url() == "postgresql://u@h/db"
    assert get_settings().validation_dir == tmp_path / "v"


def test_the_readme_lists_every_setting():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"^\| `(SOHOA_\w+)`", table, re.M))
    known = {name for name, _default, _doc in variables(Settings)}
    assert known - listed == set(), "settings missing from the README's Settings table"
    assert listed - known == set(), "the README lists settings that do not exist"


def _environment_uses(tree: ast.AST) -> list[tuple[int, str]]:
    """``(line, key)`` of each read or write of ``os.environ``/``os.getenv`` whose key is a
    ``SOHOA_`` literal, and of each read whose key is not a literal (a variable could hold
    one)."""

    def is_environ(node: ast.AST) -> bool:
        return (isinstance(node, ast.Attribute) and node.attr == "environ") or (
            isinstance(node, ast.Name) and node.id == "environ"
        )

    found = []
    for node in ast.walk(tree):
        key, reading = None, True
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            if isinstance(func, ast.Attribute) and is_environ(func.value):
                key = node.args[0] if func.attr in ("get", "pop", "setdefault") else None
                reading = func.attr == "get"
            elif (isinstance(func, ast.Attribute) and func.attr == "getenv") or (
                isinstance(func, ast.Name) and func.id == "getenv"
            ):
                key = node.args[0]
        elif isinstance(node, ast.Subscript) and is_environ(node.value):
            key, reading = node.slice, isinstance(node.ctx, ast.Load)
        elif isinstance(node, ast.Compare) and any(is_environ(c) for c in node.comparators):
            key = node.left
        if key is None:
            continue
        if not isinstance(key, ast.Constant):
            if reading:
                found.append((node.lineno, ast.unparse(key)))
        elif str(key.value).startswith("SOHOA_"):
            found.append((node.lineno, key.value))
    return found


def environment_readers(root: Path) -> list[str]:
    out = []
    for folder in ("plugins", "ocr", "dags"):
        for path in sorted((root / folder).rglob("*.py")):
            if path.relative_to(root) in SETTINGS_MODULES:
                continue
            for line, key in _environment_uses(ast.parse(path.read_text(encoding="utf-8"))):
                out.append(f"{path.relative_to(root)}:{line}: {key}")
    return out


def test_only_the_settings_modules_read_sohoa_variables_from_the_environment():
    assert environment_readers(PROJECT_ROOT) == []


def test_the_check_sees_every_way_of_reading():
    code = (
        "import os\nfrom os import environ, getenv\n"
        "a = os.environ.get('SOHOA_X')\nb = os.getenv('SOHOA_Y')\nc = os.environ['SOHOA_Z']\n"
        "d = environ.get(name)\ne = getenv('SOHOA_W')\nf = 'SOHOA_V' in os.environ\n"
        "os.environ['SOHOA_U'] = '1'\nos.environ.setdefault('SOHOA_T', '1')\n"
        "fine = os.environ.get('HOME'), dict(os.environ), os.environ.setdefault(airflow, '')\n"
    )
    keys = [key for _line, key in _environment_uses(ast.parse(code))]
    assert sorted(keys) == sorted(
        ["SOHOA_X", "SOHOA_Y", "SOHOA_Z", "name", "SOHOA_W", "SOHOA_V", "SOHOA_U", "SOHOA_T"]
    )
