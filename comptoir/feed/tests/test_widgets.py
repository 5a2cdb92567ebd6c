"""The filter bar's quick widgets write what Django's widgets would, escaped."""

from __future__ import annotations

from comptoir.feed.widgets import QuickHidden, QuickSelect


def test_a_quick_select_marks_the_chosen_option_and_escapes_labels() -> None:
    widget = QuickSelect(choices=[("", "All"), (1, "<b>Café</b>"), (2, "Thé")])
    html = widget.render("unit", 1, {"id": "id_unit"})
    assert html.startswith('<select id="id_unit" name="unit">')
    assert '<option value="" >' not in html and '<option value="">All</option>' in html
    assert '<option value="1" selected>&lt;b&gt;Café&lt;/b&gt;</option>' in html
    assert '<option value="2">Thé</option></select>' in html


def test_a_quick_hidden_input_escapes_its_value_and_omits_an_empty_one() -> None:
    assert QuickHidden().render("after", '"><script>', {"id": "id_after"}) == (
        '<input id="id_after" name="after" type="hidden" value="&quot;&gt;&lt;script&gt;">'
    )
    assert "value" not in QuickHidden().render("author", None, {"id": "id_author"})
