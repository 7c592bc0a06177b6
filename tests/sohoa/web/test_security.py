"""The route audit: every route of the real app names its capability through
``security.require``, and every role outside a capability is refused each of its routes.

The walk covers whatever routes the app has, so a new page that forgets ``require`` or
opens itself to the wrong role fails here without a test of its own.
"""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute
from starlette.routing import Mount

from sohoa.db.tables import WEB_ROLES
from sohoa.web.access import CAPABILITIES
from sohoa.web.app import create_app
from tests.sohoa.web.helpers import sign_in

PUBLIC = {"/login", "/health"}  # and the /static mount
ROLE_REFUSAL = "không có quyền thực hiện"  # Forbidden's message for a role (not a unit)


def _requirements(dependant) -> list:
    """The ``require(...)`` dependencies of a route, however deeply nested."""
    found = []
    for sub in dependant.dependencies:
        if hasattr(sub.call, "capability"):
            found.append(sub.call)
        found.extend(_requirements(sub))
    return found


def _routes(app) -> list[tuple[APIRoute, str, str | None]]:
    """(route, method, capability) of every guarded route and method."""
    out = []
    for route in app.routes:
        if isinstance(route, Mount) or route.path in PUBLIC:
            continue
        assert isinstance(route, APIRoute), f"unexpected route type: {route!r}"
        required = _requirements(route.dependant)
        assert required, f"{sorted(route.methods)} {route.path} does not depend on require()"
        caps = {r.capability for r in required}
        assert len(caps) == 1, f"{route.path} names several capabilities: {caps}"
        [cap] = caps
        out.extend((route, method, cap) for method in sorted(route.methods - {"HEAD"}))
    return out


def _url(route: APIRoute) -> str:
    """The route's path with a dummy value for each path parameter: an id nothing has, so
    the allowed roles' requests change nothing (not even their own account)."""
    return re.sub(r"\{[^}]+\}", "999999", route.path)


def test_every_route_but_login_health_and_static_requires_a_capability():
    app = create_app(db_url="sqlite://", landing="/nonexistent")
    routes = _routes(app)
    paths = {route.path for route, _, _ in routes}
    assert {"/logout", "/account"} <= paths
    known = set(CAPABILITIES) | {None}
    assert all(cap in known for _, _, cap in routes)
    public = [r for r in app.routes if not isinstance(r, Mount) and r.path in PUBLIC]
    assert {r.path for r in public} == PUBLIC
    for route in public:
        assert not _requirements(route.dependant)
    static = [r for r in app.routes if isinstance(r, Mount)]
    assert [m.path for m in static] == ["/static"]


@pytest.mark.parametrize("role", WEB_ROLES)
def test_each_role_is_refused_every_route_of_a_capability_it_lacks(
    web_app, client, make_account, role
):
    token = sign_in(client, make_account(role))
    checked: set[str] = set()
    for route, method, cap in _routes(web_app):
        if cap is None or role in CAPABILITIES[cap]:
            continue
        response = client.request(method, _url(route), headers={"X-CSRF-Token": token})
        assert response.status_code == 403, (role, method, route.path, response.status_code)
        assert ROLE_REFUSAL in response.text, (role, method, route.path)
        checked.add(cap)
    lacking = {c for c in CAPABILITIES if role not in CAPABILITIES[c]}
    assert checked == lacking  # every capability has routes: none was left out of the walk


@pytest.mark.parametrize("role", WEB_ROLES)
def test_each_role_passes_the_role_check_of_its_own_capabilities(
    web_app, client, make_account, role
):
    """The other side: a role's own routes never answer with the role refusal (they may
    still say 404 or 422 to the dummy parameters)."""
    token = sign_in(client, make_account(role))
    for route, method, cap in _routes(web_app):
        if cap is not None and role not in CAPABILITIES[cap]:
            continue
        if (method, route.path) in {("POST", "/logout"), ("POST", "/account/password")}:
            continue  # would end the session this loop uses; test_auth covers them
        response = client.request(method, _url(route), headers={"X-CSRF-Token": token})
        assert response.status_code != 401, (role, method, route.path)
        assert ROLE_REFUSAL not in response.text, (role, method, route.path)


def test_without_a_session_every_guarded_route_is_closed(web_app, client):
    for route, method, _ in _routes(web_app):
        api = client.request(method, _url(route))
        assert api.status_code == 401, (method, route.path, api.status_code)
        if method == "GET":
            page = client.get(_url(route), headers={"accept": "text/html"})
            assert page.status_code == 303 and page.headers["location"] == "/login"


def test_state_changes_without_the_csrf_token_are_refused(web_app, client, make_account):
    for role in WEB_ROLES:
        client.cookies.clear()
        sign_in(client, make_account(role))
        for route, method, cap in _routes(web_app):
            if method == "GET" or (cap is not None and role not in CAPABILITIES[cap]):
                continue
            for headers in ({}, {"X-CSRF-Token": "forged"}):
                response = client.request(method, _url(route), headers=headers)
                assert response.status_code == 403, (role, method, route.path)
                assert "không hợp lệ" in response.text  # the CSRF message, not the role's


def test_the_audit_fails_for_a_route_without_require():
    """The audit itself can fail: an unguarded route is caught."""
    app = create_app(db_url="sqlite://", landing="/nonexistent")

    @app.get("/forgotten")
    async def forgotten() -> str:
        return "open"

    with pytest.raises(AssertionError, match="/forgotten"):
        _routes(app)
