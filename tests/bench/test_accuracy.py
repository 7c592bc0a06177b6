"""bench.accuracy's scoring: one definition of "sure", silent errors, slices, names."""

from __future__ import annotations

from bench.accuracy import is_sure, report, score


def _truth(fields: dict, capture: str = "scan", **extra) -> dict:
    return {
        "doc_type": "birth",
        "expect": "record",
        "fields": fields,
        "capture": {"capture": capture},
        **extra,
    }


def _record(values: dict, status: str = "auto_accepted", issues=(), uri="a.png", **per_field):
    fields = {
        k: {"value": v, "confidence": 0.95, **per_field.get(k, {})} for k, v in values.items()
    }
    return {
        "source": {"uri": uri, "page": 1},
        "doc_type": "birth",
        "fields": fields,
        "status": status,
        "issues": list(issues),
    }


def test_sure_is_the_field_status_where_the_record_gives_one():
    rec = _record({"full_name": "A"}, status="needs_review", full_name={"status": "sure"})
    assert is_sure(rec, "full_name")
    rec = _record({"full_name": "A"}, full_name={"status": "check"})
    assert not is_sure(rec, "full_name")


def test_without_status_sure_means_accepted_confident_and_unflagged():
    assert is_sure(_record({"full_name": "A"}), "full_name")
    assert not is_sure(_record({"full_name": "A"}, status="needs_review"), "full_name")
    low = _record({"full_name": "A"}, full_name={"confidence": 0.7})
    assert not is_sure(low, "full_name")
    flagged = _record(
        {"full_name": "A"}, issues=[{"field": "full_name", "rule": "r", "message": "m"}]
    )
    assert not is_sure(flagged, "full_name")
    assert not is_sure(_record({}), "full_name")


def test_silent_errors_are_wrong_values_marked_sure_including_values_the_page_lacks():
    truth = _truth({"full_name": "NGUYỄN VĂN HOÀ", "sex": "male"}, tone_placement="old")
    # HOÀ read HÒA and sure: silent. A personal ID the page does not carry, sure: silent too.
    rec = _record({"full_name": "NGUYỄN VĂN HÒA", "sex": "male", "personal_id": "001"})
    result = score([(truth, rec)])
    assert result["field_accuracy"] == 0.5
    assert result["silent_errors"] == 2
    assert result["silent_error_rate"] == 2 / 3
    assert result["values_marked_sure"] == 1.0
    assert result["slices"]["tone_placement"]["old"]["silent_errors"] == 2
    assert "SILENT" in report(result)


def test_slices_names_rejections_and_handwriting():
    pages = [
        (
            _truth(
                {"full_name": "VỪ A KHẨN", "registration_date": "2025-01-17"},
                capture="photo",
                name_sources={"full_name": "held_out"},
                handwritten={"registration_date": "17"},
            ),
            _record({"full_name": "VỪ A KHẨN"}, status="needs_review", uri="p.jpg"),
        ),
        (
            _truth({"full_name": "LÊ THỊ LAN"}, capture="screenshot"),
            _record(
                {},
                status="rejected",
                uri="s.png",
                issues=[{"field": None, "rule": "too_small", "message": "too small"}],
            ),
        ),
        (_truth({"full_name": "LÊ VĂN AN"}), _record({"full_name": "LÊ VĂN AN"})),
        (
            {"expect": "rejected", "doc_type": "unknown", "fields": {}},
            _record({}, status="rejected"),
        ),
    ]
    result = score(pages)
    assert result["readable_pages"] == 3 and result["legible_rejected"] == 1
    assert result["rejected_pages"][0]["why"] == ["too small"]
    assert result["names"]["held_out"] == {"values": 1, "accuracy": 1.0}
    assert result["names"]["lexicon"] == {"values": 2, "accuracy": 0.5}
    assert result["handwritten"] == {"values": 1, "accuracy": 0.0}
    by_capture = result["slices"]["capture"]
    assert set(by_capture) == {"photo", "screenshot", "scan"}
    assert by_capture["photo"]["field_accuracy"] == 0.5
    assert by_capture["screenshot"]["rejected"] == 1
    assert by_capture["scan"]["auto_accepted_share"] == 1.0
    assert result["auto_accepted_share"] == 1 / 3
