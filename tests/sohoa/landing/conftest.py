from __future__ import annotations

import pytest

from tests.sohoa.landing.s3server import CREDENTIALS, moto_s3, new_bucket


@pytest.fixture(scope="session")
def s3_endpoint() -> str:
    with pytest.MonkeyPatch.context() as mp:
        for name, value in CREDENTIALS.items():
            mp.setenv(name, value)
        with moto_s3() as url:
            yield url


@pytest.fixture
def s3_landing_uri(s3_endpoint, monkeypatch) -> str:
    """``s3://<fresh bucket>/landing`` on the moto server, with the env pointing at it."""
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SOHOA_S3_ENDPOINT_URL", s3_endpoint)
    return f"s3://{new_bucket(s3_endpoint)}/landing"


@pytest.fixture(params=["local", "s3"])
def landing(request, tmp_path):
    """The same tests over both storages."""
    from sohoa.landing.store import open_landing

    if request.param == "local":
        return open_landing(str(tmp_path / "landing"))
    return open_landing(request.getfixturevalue("s3_landing_uri"))
