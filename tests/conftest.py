"""Shared fixtures: a real PostgreSQL server for the session, fresh databases per test.

The server is started once by the suite itself (Debian's binaries, run as the
``postgres`` user when the suite runs as root) and stopped at the end. Each test gets
its own database, cloned from a template that was migrated once, so tests are
independent and cheap. SQLite databases are copies of a file migrated once.

Use ``db_engine`` for a test that must hold on both backends (it is parametrized over
``sqlite`` and ``postgresql``), or ``pg_engine`` / ``sqlite_engine`` for one of them.
"""

from __future__ import annotations

import itertools
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# pytest (prepend import mode) puts this directory on sys.path for this conftest; then
# ``import sohoa`` would find the namespace folder tests/sohoa instead of the package.
_here = str(Path(__file__).resolve().parent)
sys.path[:] = [p for p in sys.path if str(Path(p or ".").resolve()) != _here]

_counter = itertools.count()


@pytest.fixture(scope="session")
def pg_server():
    """A running throwaway PostgreSQL cluster (see ``sohoa.db.tempserver``)."""
    from sohoa.db.tempserver import TempPostgres

    server = TempPostgres().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def pg_template(pg_server) -> str:
    """Name of a database migrated to head, used as the template of per-test databases."""
    from sohoa.db.migrate import upgrade

    pg_server.admin_sql("CREATE DATABASE sohoa_template")
    engine = upgrade(pg_server.url("sohoa_template"))
    engine.dispose()
    return "sohoa_template"


@pytest.fixture
def pg_url(pg_server, pg_template) -> Iterator[str]:
    name = f"t_{next(_counter)}"
    pg_server.admin_sql(f"CREATE DATABASE {name} TEMPLATE {pg_template}")
    yield pg_server.url(name)
    pg_server.admin_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    from sohoa.db.migrate import upgrade

    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    upgrade(f"sqlite:///{path}").dispose()
    return path


@pytest.fixture
def sqlite_url(sqlite_template, tmp_path) -> str:
    path = tmp_path / "sohoa.db"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite:///{path}"


def _engine(url: str):
    from sohoa.db.engine import make_engine

    engine = make_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture
def pg_engine(pg_url):
    yield from _engine(pg_url)


@pytest.fixture
def sqlite_engine(sqlite_url):
    yield from _engine(sqlite_url)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_factory(request, tmp_path):
    """A function returning a new, migrated database URL on the parametrized backend."""
    created: list[str] = []
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")

        def new_sqlite() -> str:
            path = tmp_path / f"db{next(_counter)}.sqlite"
            shutil.copyfile(template, path)
            return f"sqlite:///{path}"

        yield new_sqlite
        return
    server = request.getfixturevalue("pg_server")
    template = request.getfixturevalue("pg_template")

    def new_pg() -> str:
        name = f"t_{next(_counter)}"
        server.admin_sql(f"CREATE DATABASE {name} TEMPLATE {template}")
        created.append(name)
        return server.url(name)

    yield new_pg
    for name in created:
        server.admin_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def db_url(db_factory) -> str:
    """A fresh, migrated database URL on each backend."""
    return db_factory()


@pytest.fixture
def db_engine(db_url):
    yield from _engine(db_url)


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """One moto S3 server (real HTTP, real boto3) for the whole session."""
    from tests.sohoa.landing.s3server import CREDENTIALS, moto_s3

    with pytest.MonkeyPatch.context() as mp:
        for name, value in CREDENTIALS.items():
            mp.setenv(name, value)
        with moto_s3() as url:
            yield url


@pytest.fixture
def s3_landing_uri(s3_endpoint, monkeypatch) -> str:
    """``s3://<fresh bucket>/landing`` on the moto server, with the env pointing at it."""
    from tests.sohoa.landing.s3server import CREDENTIALS, new_bucket

    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SOHOA_S3_ENDPOINT_URL", s3_endpoint)
    return f"s3://{new_bucket(s3_endpoint)}/landing"
