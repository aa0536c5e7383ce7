"""Wagtail's choosers given an id that is not one: a 404 or an empty choice, never a 500."""

import pytest

from tenants.constants import AgencyRole

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(onboard, staff_client):
    return staff_client(onboard().agency, AgencyRole.EDITOR)


@pytest.mark.parametrize("kind", ["documents", "images"])
@pytest.mark.parametrize("typed", ["abc", "1.5", "99999999999999999999999", "%00"])
def test_a_chosen_id_that_is_not_a_number_is_not_found(editor, kind, typed):
    response = editor.get(f"/admin/{kind}/chooser/chosen/{typed}/")
    assert response.status_code == 404


@pytest.mark.parametrize("kind", ["documents", "images"])
def test_a_multiple_choice_keeps_only_real_ids(editor, kind):
    response = editor.get(f"/admin/{kind}/chooser/chosen-multiple/?id=abc&id=99999999999999999999")
    assert response.status_code == 200
    assert response.json()["step"] == "chosen"
    assert response.json()["result"] == []
