import json

import pytest

from mentorkit.errors import NotFoundError, ValidationError
from mentorkit.frameworks import (
    Competency,
    CompetencyFramework,
    list_frameworks,
    load_framework,
    register,
    registered_frameworks,
    unregister,
)

TOML = """
id = "district-x"
title = "District X leadership"
version = "2024"

[[competencies]]
code = "vision"
title = "Vision"
indicators = ["Names a goal"]

[[competencies.children]]
code = "vision.share"
title = "Shares the vision"

[scale]
id = "three"
title = "Three levels"
levels = [
  { code = "emerging", title = "Emerging" },
  { code = "skilled", title = "Skilled" },
  { code = "leading", title = "Leading" },
]
"""


def _mini(fid="mini", title="Mini"):
    return CompetencyFramework(id=fid, title=title, competencies=[Competency(code="x", title="X")])


@pytest.fixture
def registered():
    """Names registered during a test, unregistered afterwards."""
    names: list[str] = []
    yield names
    for name in names:
        if name in registered_frameworks:
            unregister(name)


def test_a_toml_file_loads_with_its_own_scale_and_tree(tmp_path):
    path = tmp_path / "district.toml"
    path.write_text(TOML)
    fw = load_framework(path)
    assert fw.scale.codes == ("emerging", "skilled", "leading")
    assert fw.parent_of("vision.share").code == "vision"
    assert load_framework(str(path)) == fw
    assert "district-x" not in registered_frameworks  # loading a file does not register it


def test_a_json_file_and_a_tagged_document_load_alike(tmp_path):
    from mentorkit import to_dict

    fw = _mini()
    plain = tmp_path / "plain.json"
    plain.write_text(
        json.dumps({"id": "mini", "title": "Mini", "competencies": [{"code": "x", "title": "X"}]})
    )
    tagged = tmp_path / "tagged.json"
    tagged.write_text(json.dumps(to_dict(fw)))
    assert load_framework(plain) == fw == load_framework(tagged)


def test_a_bad_file_names_the_file_and_the_bad_field(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"id": "bad", "title": "Bad", "competencies": [{"code": "x"}]}))
    with pytest.raises(ValidationError) as info:
        load_framework(path)
    assert str(path) in str(info.value)
    assert any("competencies[0].title" in line for line in info.value.errors)


def test_a_file_that_is_not_json_or_toml_is_a_validation_error(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text("id = ")
    with pytest.raises(ValidationError, match="TOML"):
        load_framework(broken)
    yaml = tmp_path / "fw.yaml"
    yaml.write_text("id: x")
    with pytest.raises(ValidationError) as info:
        load_framework(yaml)
    assert info.value.field == "path"


def test_a_missing_file_or_name_is_not_found_and_lists_known_names(tmp_path):
    with pytest.raises(NotFoundError):
        load_framework(tmp_path / "nope.json")
    with pytest.raises(NotFoundError, match="manager-of-self"):
        load_framework("no-such-framework")


def test_registering_a_python_framework_makes_it_loadable_and_listed(registered):
    fw = register(_mini())
    registered.append("mini")
    assert load_framework("mini") is fw
    assert registered_frameworks["mini"] is fw
    entry = {e.name: e for e in list_frameworks()}["mini"]
    assert (entry.title, entry.origin) == ("Mini", "python")


def test_registering_a_file_records_its_origin(tmp_path, registered):
    path = tmp_path / "district.toml"
    path.write_text(TOML)
    register(path)
    registered.append("district-x")
    entry = {e.name: e for e in list_frameworks()}["district-x"]
    assert entry.origin == f"file: {path}"


def test_registering_something_that_is_not_a_framework_fails_at_once():
    with pytest.raises(ValidationError) as info:
        register({"id": "x"})  # type: ignore[arg-type]
    assert "CompetencyFramework" in str(info.value)
    assert info.value.value == "dict"


def test_a_taken_name_needs_replace_to_shadow_it(registered):
    with pytest.raises(ValidationError) as info:
        register(_mini("manager-of-self"))
    assert info.value.field == "id"
    assert "builtin" in str(info.value)
    mine = register(_mini("manager-of-self", "Ours"), replace=True)
    registered.append("manager-of-self")
    assert load_framework("manager-of-self") is mine
    unregister("manager-of-self")
    assert load_framework("manager-of-self").title == "Manager of Self"


def test_the_registry_view_is_read_only():
    with pytest.raises(TypeError):
        registered_frameworks["x"] = _mini()  # type: ignore[index]


def test_unregistering_an_unknown_name_is_not_found():
    with pytest.raises(NotFoundError):
        unregister("never-registered")


def test_list_frameworks_shows_the_built_in_catalogue():
    entries = {e.name: e for e in list_frameworks()}
    assert entries["manager-of-self"].origin == "builtin"
    assert entries["leader-growth"].title == "Leader Growth"
