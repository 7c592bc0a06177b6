from __future__ import annotations

import pytest


@pytest.fixture(params=["local", "s3"])
def landing(request, tmp_path):
    """The same tests over both storages."""
    from sohoa.landing.store import open_landing

    if request.param == "local":
        return open_landing(str(tmp_path / "landing"))
    return open_landing(request.getfixturevalue("s3_landing_uri"))
