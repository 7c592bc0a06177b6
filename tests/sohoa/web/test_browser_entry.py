"""Typing records in and reviewing them, in a real browser (issue 15).

One ``sohoa serve`` for the module (SQLite, a local landing folder), Debian's Chromium
through Playwright, accounts from ``sohoa users add``, pages put in review by the real
loader. Screenshots go to ``.sohoa/test-artifacts/web/entry/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from sohoa.db.tables import civil_record, review_action
from tests.sohoa.web.browser_fixtures import (
    ARTIFACTS,
    Screenshots,
    Server,
    add_user,
    server_env,
    sign_in,
)
from tests.sohoa.web.conftest import HOME_UNIT
from tests.sohoa.web.entry_fixtures import (
    FULL_RECORD,
    IMPOSSIBLE,
    IMPOSSIBLE_ERRORS,
    IMPOSSIBLE_WARNINGS,
    TYPED,
    stage_handwritten,
)
from tests.sohoa.web.keys import Typist


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("entry-web")
    server = Server(tmp, server_env(tmp)).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def shots() -> Screenshots:
    return Screenshots(ARTIFACTS / "entry")


@pytest.fixture
def engine(served):
    from sohoa.db.engine import make_engine

    engine = make_engine(served.env["SOHOA_DB_URL"])
    yield engine
    engine.dispose()


@pytest.fixture
def clerk(served):
    return add_user(served.cwd, served.env, "archive_staff", HOME_UNIT)


def _signed_in(browser, served, user):
    """A browser tab of ``user``, signed in; JavaScript errors collected in ``tab.errors``."""
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    tab.errors = []
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))
    tab.on("console", lambda m: _console_error(m) and tab.errors.append(m.text))
    sign_in(tab, served.url, user)
    return tab


@pytest.fixture
def page(browser, served, clerk):
    tab = _signed_in(browser, served, clerk)
    yield tab
    tab.context.close()
    assert not tab.errors, tab.errors  # no JavaScript error or CSP refusal on any page


REFUSED = "the server responded with a status of 400"  # a form sent back to be fixed


def _console_error(message) -> bool:
    """A JavaScript error or a CSP refusal (not a form the server refused on purpose)."""
    return message.type == "error" and "favicon" not in message.text and REFUSED not in message.text


def _counts(engine, item_id: int) -> tuple[int, int]:
    with engine.connect() as conn:
        records = conn.execute(select(func.count()).select_from(civil_record)).scalar()
        actions = conn.execute(
            select(func.count())
            .select_from(review_action)
            .where(review_action.c.review_item_id == item_id)
        ).scalar()
    return records, actions


def _type_record(page, values: dict[str, str]) -> None:
    for name, value in values.items():
        page.fill(f"#m-{name}", value)


def _shown(page, kind: str) -> dict[str, str]:
    """Field -> the message shown beside its input (kind: "error" or "warning")."""
    found = page.locator(f"[data-{kind}-for]:not([hidden])")
    notes = {
        found.nth(i).get_attribute(f"data-{kind}-for"): found.nth(i).inner_text()
        for i in range(found.count())
    }
    return {name: text for name, text in notes.items() if text}


def test_the_impossible_typed_record_is_refused_with_its_fields_named(
    page, served, engine, shots, clerk
):
    item_id = stage_handwritten(engine, Path(served.cwd) / "scans", HOME_UNIT)
    before = _counts(engine, item_id)
    page.goto(f"{served.url}/review/{item_id}/manual")
    _type_record(page, IMPOSSIBLE)
    with page.expect_navigation():
        page.click("#manual-submit")
    shots(page, "impossible-record-refused")
    errors = _shown(page, "error")
    assert set(errors) == IMPOSSIBLE_ERRORS, errors
    assert errors["date_of_birth"] == "Ngày ở tương lai"
    assert errors["mother_ethnicity"] == "Dân tộc không có trong danh mục"
    assert set(_shown(page, "warning")) == IMPOSSIBLE_WARNINGS
    said = page.locator("#manual-error").inner_text()
    for label in ("Ngày, tháng, năm sinh", "Dân tộc (mẹ)", "Năm sinh (mẹ)"):
        assert label in said, said
    assert page.locator("#m-ethnicity").input_value() == "Kihn"  # kept, to be fixed
    assert _counts(engine, item_id) == before  # nothing loaded, nothing audited

    # Fixed, but born in a hospital the unit lists do not know: a warning, loaded only
    # once it is ticked with a reason; the reason is in the audit trail.
    hospital = "Bệnh viện Sản Nhi Ninh Bình"
    _type_record(page, {**TYPED, "place_of_birth": hospital})
    with page.expect_navigation():
        page.click("#manual-submit")
    assert _shown(page, "error") == {} and set(_shown(page, "warning")) == {"place_of_birth"}
    page.check('#overrides input[name=override][value="place_of_birth"]')
    page.fill("#override-reason", "Nơi sinh là bệnh viện, đúng như trang sổ")
    shots(page, "warning-overridden-with-a-reason")
    with page.expect_navigation():
        page.click("#manual-submit")
    assert "/manual" not in page.url and page.locator("#notice").count() == 1
    with engine.connect() as conn:
        audit = conn.execute(
            select(
                review_action.c.actor,
                review_action.c.field,
                review_action.c.new_value,
                review_action.c.note,
            ).where(review_action.c.review_item_id == item_id, review_action.c.action == "override")
        ).all()
    assert [tuple(a) for a in audit] == [
        (
            clerk.username,
            "place_of_birth",
            hospital,
            "place_unresolved: Nơi sinh là bệnh viện, đúng như trang sổ",
        )
    ]
    assert _counts(engine, item_id)[0] == before[0] + 1


# What a clerk types for each value of FULL_RECORD with the helpers: a few letters of a
# place, the date's digits, nothing where the book's default is right ("" = just Tab),
# "=" to copy the mother's residence.
FAST = {
    "registration_number": "125",
    "book_number": "05/2020",
    "full_name": FULL_RECORD["full_name"],
    "date_of_birth": "29052020",
    "sex": "nu",
    "ethnicity": "",
    "nationality": "",
    "place_of_birth": "uyen hung",
    "hometown": "khanh thien ninh",
    "personal_id": FULL_RECORD["personal_id"],
    "mother_name": FULL_RECORD["mother_name"],
    "mother_birth_year": "1995",
    "mother_ethnicity": "",
    "mother_nationality": "",
    "mother_residence": "Khu phố 3, tan hiep",
    "father_name": FULL_RECORD["father_name"],
    "father_birth_year": "1992",
    "father_ethnicity": "",
    "father_nationality": "",
    "father_residence": "=",
    "registration_place": "",
    "registration_date": "05062020",
}


def _wait_focus(page, name: str) -> None:
    """The input ``name`` has the focus (a place waits for its list before moving on)."""
    page.wait_for_function("n => document.activeElement.name === n", arg=name, timeout=10_000)


def _type_in(page, item_id: int, served, plan: dict[str, str]) -> Typist:
    """Type ``plan`` into the form, input after input as the page orders them (Tab, and
    Enter after the last one); returns the count."""
    page.goto(f"{served.url}/review/{item_id}/manual")
    order = page.eval_on_selector_all(
        ".manual-fields input[type=text]", "els => els.map(e => e.name)"
    )
    assert sorted(order) == sorted(plan)
    keys = Typist(page)
    for i, name in enumerate(order):
        _wait_focus(page, name)
        if plan[name]:
            keys.type(plan[name])
        keys.press("Tab" if i < len(order) - 1 else "Enter")
    return keys


def _stored(engine, item_id: int) -> dict:
    from sohoa.review.queue import show

    item = show(engine, item_id)
    assert item.state == "confirmed", item.state
    with engine.connect() as conn:
        fields = conn.execute(
            select(civil_record.c.fields).where(civil_record.c.id == item.record_id)
        ).scalar_one()
    return {name: f["value"] for name, f in fields.items()}


def test_typing_a_birth_record_takes_half_the_key_presses(page, served, engine, shots):
    """The same 22-field record typed twice: every value in full (as the form of before
    took it: 450 presses on 91be324), then with the helpers. Both load the same values."""
    folder = Path(served.cwd) / "scans"
    full_item = stage_handwritten(engine, folder, HOME_UNIT, seed=23, volume="06")
    full = _type_in(page, full_item, served, FULL_RECORD)
    page.wait_for_url(lambda url: "/manual" not in url)
    typed_in_full = _stored(engine, full_item)

    fast_item = stage_handwritten(engine, folder, HOME_UNIT, seed=24, volume="07")
    page.goto(f"{served.url}/review/{fast_item}/manual")
    shots(page, "manual-entry-empty")
    fast = Typist(page)
    order = page.eval_on_selector_all(
        ".manual-fields input[type=text]", "els => els.map(e => e.name)"
    )
    for i, name in enumerate(order):
        _wait_focus(page, name)
        if FAST[name]:
            fast.type(FAST[name])
        if name == "hometown":
            page.locator("#m-hometown + ul.suggestions li.active").wait_for()
            shots(page, "place-picker")
        if i < len(order) - 1:
            fast.press("Tab")
    shown = {n: page.input_value(f"#m-{n}") for n in order}
    assert shown == FULL_RECORD, {n: v for n, v in shown.items() if v != FULL_RECORD[n]}
    page.locator("#overrides").wait_for(state="detached")  # nothing to answer
    shots(page, "manual-entry-typed-fast")
    with page.expect_navigation():
        fast.press("Enter")
    assert "/manual" not in page.url, page.locator("#manual-error").inner_text()
    assert _stored(engine, fast_item) == typed_in_full

    plain = sum(len(v) for v in FULL_RECORD.values()) + len(FULL_RECORD)  # + Tabs and Enter
    assert full.presses == plain
    print(
        f"\nkey presses for one birth record: {full.presses} typed in full "
        f"(Telex {full.telex}), {fast.presses} with the helpers (Telex {fast.telex})"
    )
    assert fast.presses * 2 <= full.presses
    assert fast.telex * 2 <= full.telex


def test_double_keying_with_one_disagreement_resolved(browser, served, engine, shots):
    """A reviewer marks the book; two clerks key the page, neither seeing the other's
    values; the one field they typed differently is settled by the reviewer beside the
    page; the manager sees the rates."""
    env, cwd = served.env, served.cwd
    reviewer, manager = (add_user(cwd, env, role, HOME_UNIT) for role in ("reviewer", "manager"))
    clerks = [add_user(cwd, env, "archive_staff", HOME_UNIT) for _ in range(2)]
    item_id = stage_handwritten(engine, Path(cwd) / "scans", HOME_UNIT, seed=25, volume="11")
    tabs = [_signed_in(browser, served, u) for u in (reviewer, *clerks, manager)]
    boss_tab, first, second, manager_tab = tabs
    try:
        boss_tab.goto(f"{served.url}/review/{item_id}")
        with boss_tab.expect_navigation():
            boss_tab.click("#double-entry-toggle")
        assert boss_tab.locator("#double-entry").get_attribute("data-made") == "0"

        differing = {**TYPED, "full_name": "Trần Thị Bich"}
        for tab, record in ((first, TYPED), (second, differing)):
            tab.goto(f"{served.url}/review/{item_id}/manual")
            assert tab.locator("#keying").count() == 1
            assert tab.input_value("#m-full_name") == ""  # the other's values unseen
            _type_record(tab, record)
            with tab.expect_navigation():
                tab.click("#manual-submit")
            assert "/manual" not in tab.url
        shots(second, "second-keying-sent")
        from sohoa.review.queue import show

        assert show(engine, item_id).state == "pending"

        boss_tab.goto(f"{served.url}/review/{item_id}")
        with boss_tab.expect_navigation():
            boss_tab.click("#arbitrate-link")
        rows = boss_tab.locator("#differences tr[data-field]")
        assert rows.count() == 1 and rows.first.get_attribute("data-field") == "full_name"
        assert boss_tab.locator("#differences .keyed").all_inner_texts() == [
            "TRẦN THỊ BÍCH",
            "TRẦN THỊ BICH",
        ]
        assert boss_tab.locator("#page-image").count() == 1  # beside the page
        boss_tab.check("#choice-full_name-1")
        shots(boss_tab, "arbitration-one-difference")
        with boss_tab.expect_navigation():
            boss_tab.click("#arbitrate-submit")
        item = show(engine, item_id)
        assert item.state == "confirmed" and item.fields["full_name"]["value"] == "TRẦN THỊ BÍCH"

        manager_tab.goto(f"{served.url}/dashboard")
        block = manager_tab.locator("#double-keying")
        assert block.locator("#keying-books tbody tr").count() == 1
        assert sorted(
            block.locator("#keying-clerks tr[data-clerk]").evaluate_all(
                "rows => rows.map(r => r.dataset.clerk)"
            )
        ) == sorted(c.username for c in clerks)
        block.scroll_into_view_if_needed()
        shots(manager_tab, "dashboard-double-keying")
        for tab in tabs:
            assert not tab.errors, tab.errors
    finally:
        for tab in tabs:
            tab.context.close()


def _stage_turned(engine, folder: Path, seed: int = 31) -> tuple[int, str]:
    """A 200 dpi birth page scanned lying on its side (the reader turned it back 90°
    clockwise), in review for its name; returns the item and the name as printed."""
    from PIL import Image

    from sohoa.samples import generate_page
    from tests.sohoa.web.review_fixtures import load_into_review, misread, record_of

    upright, truth = generate_page("birth", seed, "clean", dpi=200)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"turned-birth-{seed}.png"
    upright.rotate(90, expand=True).save(path)
    width = upright.size[0]
    record = record_of(path, truth)
    for f in record["fields"].values():
        x, y, w, h = f["bbox"]
        f["bbox"] = [y, width - x - w, h, w]  # the box on the scan as it lies
    record["quality"]["rotation"] = 90
    record = misread(record, "full_name", "X Y", "low_confidence", "check the name")
    assert Image.open(path).size == (upright.size[1], upright.size[0])
    return load_into_review(engine, record, HOME_UNIT, "12"), truth["fields"]["full_name"]


def _box(page, selector: str) -> dict:
    box = page.locator(selector).bounding_box()
    assert box, selector
    return box


def test_the_viewer_zooms_rotates_and_shows_a_turned_page_upright(page, served, engine, shots):
    item_id, _ = _stage_turned(engine, Path(served.cwd) / "scans")
    page.goto(f"{served.url}/review/{item_id}")
    viewer = page.locator("#viewer")
    name_box = '#page-image rect.bbox[data-field="full_name"]'
    box = _box(page, name_box)
    assert box["width"] > 3 * box["height"]  # a name line lies flat: the page is upright
    assert viewer.get_attribute("data-turn") == "90"
    shots(page, "viewer-upright")

    # Only the field to check is open (its name was misread); the sure ones are folded.
    open_rows = page.locator("#fields tr[data-field]")
    assert open_rows.count() == 1 and open_rows.first.get_attribute("data-field") == "full_name"
    sure = page.locator("#sure-table tr[data-field]")
    assert sure.count() > 10 and not sure.first.is_visible()
    page.click("#sure-fields summary")
    assert sure.first.is_visible()
    shots(page, "fields-to-check-and-sure-ones-opened")
    page.click("#sure-fields summary")

    start = float(viewer.get_attribute("data-scale"))
    page.click('[data-view="in"]')
    assert float(viewer.get_attribute("data-scale")) == pytest.approx(start * 1.25, rel=0.01)
    frame = _box(page, "#viewer-frame")
    page.mouse.move(frame["x"] + frame["width"] / 2, frame["y"] + frame["height"] / 2)
    page.mouse.wheel(0, -300)
    wheeled = float(viewer.get_attribute("data-scale"))
    assert wheeled > start * 1.25
    page.focus("#viewer-frame")
    page.keyboard.press("-")
    assert float(viewer.get_attribute("data-scale")) < wheeled
    page.keyboard.press("1")  # the scan's own size: the page at full resolution
    assert float(viewer.get_attribute("data-scale")) == pytest.approx(1.0)
    page.locator('#viewer[data-full-loaded="true"]').wait_for()
    assert page.get_attribute("#page-layer image", "href").endswith("/page-full.jpg")
    before = _box(page, name_box)
    page.keyboard.press("ArrowDown")
    assert _box(page, name_box)["y"] < before["y"]  # panned: the page moved up
    shots(page, "viewer-zoomed-in")

    # The field's region, magnified beside its input.
    page.focus("#value-full_name")
    zoomed = page.locator('#fields tr[data-field="full_name"] svg.field-zoom')
    zoomed.wait_for()
    page.keyboard.press("Alt+0")  # back to the page's width: the region is larger than there
    assert float(zoomed.get_attribute("data-magnified")) > 1.5
    shots(page, "field-region-magnified")

    # A quarter turn more (the page now on its side), kept for the page.
    page.click('[data-view="rotate"]')
    assert viewer.get_attribute("data-turn") == "180"
    box = _box(page, name_box)
    assert box["height"] > 3 * box["width"]
    shots(page, "viewer-rotated")
    page.reload()
    assert page.locator("#viewer").get_attribute("data-turn") == "180"
    for _ in range(3):
        page.click('[data-view="rotate"]')
    assert page.locator("#viewer").get_attribute("data-turn") == "90"


def test_the_page_and_the_form_stay_side_by_side_at_800_px(page, served, engine, shots):
    item_id, _ = _stage_turned(engine, Path(served.cwd) / "scans", seed=32)
    page.set_viewport_size({"width": 800, "height": 900})
    for path, form, name in (
        (f"/review/{item_id}", "#fields", "review-800px"),
        (f"/review/{item_id}/manual", "#manual-form", "manual-entry-800px"),
    ):
        page.goto(served.url + path)
        image, fields = _box(page, "#image-pane"), _box(page, form)
        assert image["x"] + image["width"] <= fields["x"] + 1, (image, fields)  # side by side
        assert image["width"] > 300 and fields["width"] > 300
        assert abs(image["y"] - _box(page, "section.review-form")["y"]) < 5  # one row
        shots(page, name)
        wide = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter(e => !e.parentElement.closest('svg'))  // an SVG clips its content
                .filter(e => e.getBoundingClientRect().right > 801)
                .map(e => e.tagName + '#' + e.id + '.' + e.className).slice(0, 5)"""
        )
        assert not wide, f"{name}: wider than the window: {wide}"
        assert page.evaluate("document.documentElement.scrollWidth") <= 800
