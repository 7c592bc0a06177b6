"""Shared text helpers."""

from ocr.text import edit_distance


def test_edit_distance_stops_past_its_limit():
    assert edit_distance("noichat", "noichet", 1) == 1
    assert edit_distance("hovaten", "hovaten", 0) == 0
    assert edit_distance("namsinh", "noisinh", 1) == 2  # limit + 1: "too far"
