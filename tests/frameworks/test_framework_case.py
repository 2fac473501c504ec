import copy
import datetime as dt
import json
import os
from pathlib import Path

import attrs
import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mentorkit import from_dict, to_dict
from mentorkit.errors import NotFoundError, ValidationError
from mentorkit.frameworks import Competency, CompetencyFramework, load_framework
from mentorkit.frameworks.case import export_package, import_package
from mentorkit.testing.strategies import case_packages, frameworks

REPO = Path(__file__).resolve().parents[2]
LOCAL_CASE = REPO / "tests" / "data" / "case"


def _shared_case_dir() -> Path | None:
    """The project's shared data (CI puts ``shared/`` beside the clone), if present."""
    candidates = []
    if os.environ.get("MENTORKIT_SHARED_DATA"):
        candidates.append(Path(os.environ["MENTORKIT_SHARED_DATA"]))
    candidates += [REPO / ".." / "shared" / "data", Path("/work/shared/data")]
    for root in candidates:
        if (root / "case").is_dir():
            return root / "case"
    return None


def _packages() -> list[Path]:
    found = {p.name: p for p in sorted(LOCAL_CASE.glob("opensalt-*.json"))}
    shared = _shared_case_dir()
    if shared is not None:
        for p in sorted(shared.glob("*.json")):
            if p.name != "case-v1p0-cfpackage-schema.json":
                found.setdefault(p.name, p)
    return [found[name] for name in sorted(found)]


PACKAGES = _packages()
SCHEMA = json.loads((LOCAL_CASE / "case-v1p0-cfpackage-schema.json").read_text())
VALIDATOR = jsonschema.validators.validator_for(SCHEMA)(SCHEMA)


def _validate(package):
    VALIDATOR.validate(json.loads(json.dumps(package)))


def _shape(package):
    """Items (by identifier) with their parent and position among siblings, from isChildOf."""
    items = {i["identifier"]: i for i in package.get("CFItems", [])}
    parents = {}
    for a in package.get("CFAssociations", []):
        if a["associationType"] == "isChildOf" and a["originNodeURI"]["identifier"] in items:
            parents.setdefault(
                a["originNodeURI"]["identifier"], a["destinationNodeURI"]["identifier"]
            )
    return items, parents


def _ordered_children(fw: CompetencyFramework):
    return {c.code: [k.code for k in c.children] for c in fw.walk()} | {
        None: [c.code for c in fw.competencies]
    }


def test_the_repository_carries_the_case_test_data_and_its_licence():
    assert len(PACKAGES) >= 8
    assert (LOCAL_CASE / "LICENSE-opensalt.txt").is_file()


@pytest.mark.parametrize("path", PACKAGES, ids=lambda p: p.name)
def test_every_opensalt_package_imports_and_keeps_items_hierarchy_and_order(path):
    package = json.loads(path.read_text(encoding="utf-8"))
    fw = import_package(package)
    items, parents = _shape(package)
    assert len(fw) == len(items)
    doc_id = package["CFDocument"]["identifier"]
    assert fw.uuid == doc_id
    assert fw.title == package["CFDocument"]["title"]
    for comp in fw.walk():
        assert comp.uuid in items
        parent = fw.parent_of(comp.code)
        expected = parents.get(comp.uuid, doc_id)
        assert (parent.uuid if parent else doc_id) == (expected if expected in items else doc_id)

    exported = export_package(fw)
    assert exported == package  # lossless: every association type, definition, URI, date
    if not list(VALIDATOR.iter_errors(package)):
        _validate(exported)
    out_items, out_parents = _shape(exported)
    assert set(out_items) == set(items)
    assert {k: v if v in items else doc_id for k, v in parents.items()} == out_parents
    again = import_package(exported)
    assert again == fw
    assert _ordered_children(again) == _ordered_children(fw)


def test_sequence_numbers_order_siblings_before_item_order():
    fw = import_package(LOCAL_CASE / "opensalt-SequenceNumberFramework.json")
    assert [c.code for c in fw.competencies] == ["SNT.2", "SNT.1"]


def test_a_real_framework_keeps_codes_statements_and_depth():
    fw = import_package(LOCAL_CASE / "opensalt-sample-framework.json")
    top = [c.code for c in fw.competencies]
    assert top == ["CCSS.Math.Content.6.RP.A", "CCSS.Math.Content.7.RP.A"]
    assert [k.code for k in fw.get("CCSS.Math.Content.6.RP.A.3").children] == [
        "CCSS.Math.Content.6.RP.A.3a",
        "CCSS.Math.Content.6.RP.A.3b",
        "CCSS.Math.Content.6.RP.A.3c",
        "CCSS.Math.Content.6.RP.A.3d",
    ]
    assert fw.get("CCSS.Math.Content.6.RP.A").title.startswith("Understand ratio concepts")


def test_non_ascii_and_markdown_statements_survive():
    utf8 = import_package(LOCAL_CASE / "opensalt-Utf8TestFramework.json")
    assert utf8.title == "UTF8 \U0001d451 Test"
    md = import_package(LOCAL_CASE / "opensalt-MarkdownFramework.json")
    assert "| Column 1 | Column 2 |" in md.get("MD.Table").title


def test_items_without_a_coding_scheme_use_their_identifier_as_code():
    fw = import_package(LOCAL_CASE / "opensalt-SmartLevelFramework.json")
    first = fw.competencies[0]
    assert first.code == first.uuid
    assert "humanCodingScheme" not in export_package(fw)["CFItems"][0]


def test_unknown_fields_and_association_types_do_not_crash_the_import():
    package = json.loads((LOCAL_CASE / "opensalt-sample-framework.json").read_text())
    package["CFDocument"]["futureField"] = {"nested": [1, 2]}
    package["CFItems"][0]["CASE1.1Thing"] = "x"
    package["CFAssociations"].append({"associationType": "isTranslationOf", "weird": True})
    package["SomethingNew"] = []
    assert len(import_package(package)) == 16


@pytest.mark.parametrize("name", ["manager-of-self", "leader-growth"])
def test_built_in_frameworks_export_valid_case_and_come_back_equal(name):
    fw = load_framework(name)
    package = export_package(fw)
    _validate(package)
    assert import_package(json.dumps(package)) == fw
    indicators = [i for i in package["CFItems"] if i.get("CFItemType") == "Indicator"]
    assert len(indicators) == sum(len(c.indicators) for c in fw.walk())
    levels = package["CFRubrics"][0]["CFRubricCriteria"][0]["CFRubricCriterionLevels"]
    assert [lv["quality"] for lv in levels] == [lv.title for lv in fw.scale.levels]


def test_export_is_deterministic_for_a_given_time():
    import datetime as dt

    fw = load_framework("leader-growth")
    when = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    assert export_package(fw, last_change=when) == export_package(fw, last_change=when)
    with pytest.raises(ValidationError) as info:
        export_package(fw, last_change=dt.datetime(2025, 1, 1))
    assert info.value.field == "last_change"


def test_rubric_levels_become_the_scale_when_a_package_has_no_mentorkit_extension():
    package = export_package(load_framework("manager-of-self"))
    del package["CFDocument"]["extensions"]
    levels = package["CFRubrics"][0]["CFRubricCriteria"][0]["CFRubricCriterionLevels"]
    levels.reverse()  # position, not list order, decides
    fw = import_package(package, id="mos")
    assert fw.id == "mos"
    assert fw.scale.codes == ("needs_improvement", "developing", "proficient", "exemplary")


@given(frameworks())
def test_any_framework_round_trips_through_case_and_the_converter(fw):
    package = export_package(fw)
    _validate(package)
    assert import_package(json.dumps(package)) == fw
    assert from_dict(to_dict(fw)) == fw


def test_a_package_without_a_document_is_a_validation_error():
    with pytest.raises(ValidationError) as info:
        import_package({"CFItems": []})
    assert info.value.field == "$.CFDocument"


def test_an_item_without_identifier_is_named_by_its_path():
    package = {"CFDocument": {"identifier": "d", "title": "t"}, "CFItems": [{"fullStatement": "x"}]}
    with pytest.raises(ValidationError) as info:
        import_package(package)
    assert info.value.field == "$.CFItems[0].identifier"


def test_text_that_is_not_json_and_a_missing_file_are_reported(tmp_path):
    with pytest.raises(ValidationError):
        import_package("{not json")
    with pytest.raises(NotFoundError):
        import_package(tmp_path / "missing.json")
    with pytest.raises(ValidationError):
        import_package("[]")


def test_an_is_child_of_loop_is_a_validation_error():
    def link(i):
        return {"identifier": i, "uri": f"u:{i}", "title": i}

    package = {
        "CFDocument": {"identifier": "d", "title": "t"},
        "CFItems": [
            {"identifier": "a", "fullStatement": "A"},
            {"identifier": "b", "fullStatement": "B"},
        ],
        "CFAssociations": [
            {
                "associationType": "isChildOf",
                "originNodeURI": link("a"),
                "destinationNodeURI": link("b"),
            },
            {
                "associationType": "isChildOf",
                "originNodeURI": link("b"),
                "destinationNodeURI": link("a"),
            },
        ],
    }
    with pytest.raises(ValidationError, match="loop"):
        import_package(package)


def test_indicator_items_become_indicators_of_their_parent():
    fw = CompetencyFramework(
        id="x",
        title="X",
        competencies=[Competency(code="c", title="C", indicators=["does a", "does b"])],
    )
    package = export_package(fw)
    assert [
        i["fullStatement"] for i in package["CFItems"] if i.get("CFItemType") == "Indicator"
    ] == [
        "does a",
        "does b",
    ]
    assert import_package(package).get("c").indicators == ("does a", "does b")


def test_the_schema_check_has_teeth():
    package = export_package(load_framework("manager-of-self"))
    del package["CFItems"][0]["uri"]
    with pytest.raises(jsonschema.ValidationError):
        _validate(package)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)
_BASE = json.loads((LOCAL_CASE / "opensalt-sample-framework.json").read_text())


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, (*prefix, i))


_ALL_PATHS = [p for p in _paths(_BASE) if p]


@given(st.lists(st.tuples(st.sampled_from(_ALL_PATHS), _JSON), min_size=1, max_size=4))
def test_a_damaged_package_imports_or_raises_a_validation_error_never_anything_else(edits):
    package = copy.deepcopy(_BASE)
    for path, value in edits:
        node = package
        try:
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier edit replaced the parent
    try:
        fw = import_package(package)
    except ValidationError:
        return
    assert import_package(export_package(fw)) == fw


def test_an_absurdly_deep_hierarchy_is_a_validation_error_not_a_crash():
    items = [{"identifier": f"i{k}", "fullStatement": "x"} for k in range(3000)]
    links = [
        {
            "associationType": "isChildOf",
            "originNodeURI": {"identifier": f"i{k}"},
            "destinationNodeURI": {"identifier": f"i{k - 1}" if k else "d"},
        }
        for k in range(3000)
    ]
    package = {
        "CFDocument": {"identifier": "d", "title": "t"},
        "CFItems": items,
        "CFAssociations": links,
    }
    with pytest.raises(ValidationError, match="64 levels"):
        import_package(package)
    package["CFItems"] = items[:60]
    package["CFAssociations"] = links[:60]
    assert len(import_package(package)) == 60


# -- lossless round trip --------------------------------------------------------------------

_SAMPLE = LOCAL_CASE / "opensalt-sample-framework.json"


@pytest.mark.parametrize("path", PACKAGES, ids=lambda p: p.name)
def test_import_export_import_is_the_identity_on_every_opensalt_package(path):
    package = json.loads(path.read_text(encoding="utf-8"))
    fw = import_package(package)
    exported = export_package(fw)
    assert exported == package
    again = import_package(exported)
    assert again == fw
    assert json.loads(again.source) == package
    # ... and through the converter, as a stored framework would travel.
    assert export_package(from_dict(to_dict(fw))) == package


def test_the_sample_keeps_every_association_type_definitions_and_document_fields():
    package = json.loads(_SAMPLE.read_text(encoding="utf-8"))
    out = export_package(import_package(_SAMPLE))
    kinds = {a["associationType"] for a in out["CFAssociations"]}
    assert kinds == {"isChildOf", "exactMatchOf", "precedes", "exemplar", "isRelatedTo"}
    assert out["CFDefinitions"] == package["CFDefinitions"]
    for key in ("uri", "creator", "lastChangeDateTime", "adoptionStatus", "CFPackageURI"):
        assert out["CFDocument"][key] == package["CFDocument"][key]
    assert "CFRubrics" not in out  # nothing added that was not there
    assert "extensions" not in out["CFDocument"]
    item_types = {i.get("CFItemType") for i in out["CFItems"]}
    assert item_types == {i.get("CFItemType") for i in package["CFItems"]}


@given(case_packages())
def test_import_export_import_is_the_identity_on_generated_packages(package):
    package = json.loads(json.dumps(package))
    fw = import_package(package)
    exported = export_package(fw)
    assert exported == package
    assert import_package(json.dumps(exported)) == fw


@given(case_packages(), st.data())
def test_an_edited_framework_keeps_what_the_model_does_not_hold(package, data):
    fw = import_package(package)
    edited = attrs.evolve(fw, title=fw.title + " (revised)")
    if fw.competencies:
        dropped = data.draw(st.sampled_from(fw.competencies))
        edited = attrs.evolve(edited, competencies=[c for c in fw.competencies if c != dropped])
    out = export_package(edited, last_change=dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    assert import_package(out, id=fw.id) == edited
    doc = out["CFDocument"]
    assert doc["title"] == fw.title + " (revised)"
    for key in ("uri", "creator", "language", "adoptionStatus"):
        assert doc.get(key) == package["CFDocument"].get(key)
    assert out.get("CFDefinitions") == package.get("CFDefinitions")
    kept_ids = {i["identifier"] for i in out["CFItems"]} | {doc["identifier"]}
    links = [a for a in package["CFAssociations"] if a["associationType"] != "isChildOf"]
    expected = [
        a for a in links
        if {a["originNodeURI"]["identifier"], a["destinationNodeURI"]["identifier"]} <= kept_ids
    ]  # fmt: skip
    assert [a for a in out["CFAssociations"] if a["associationType"] != "isChildOf"] == expected
    source_items = {i["identifier"]: i for i in package["CFItems"]}
    for item in out["CFItems"]:
        before = source_items.get(item["identifier"])
        if before is not None and before.get("CFItemType") != "Indicator":
            assert item == before  # untouched items come back exactly


def test_import_package_reads_a_path_given_as_text_bytes_or_path(tmp_path, monkeypatch):
    text = _SAMPLE.read_text(encoding="utf-8")
    expected = import_package(json.loads(text))
    assert import_package(str(_SAMPLE)) == expected
    assert import_package(_SAMPLE) == expected
    assert import_package(text) == expected
    assert import_package(text.encode("utf-8")) == expected
    assert import_package("\n  " + text) == expected
    monkeypatch.chdir(tmp_path)
    (tmp_path / "framework.json").write_text(text, encoding="utf-8")
    assert import_package("framework.json") == expected  # a relative path, not JSON text
    with pytest.raises(NotFoundError, match=r"nope\.json"):
        import_package("nope.json")


def test_import_package_reads_json_text_that_starts_with_a_byte_order_mark(tmp_path):
    # Text read from a file a Windows editor saved (UTF-8 with BOM) without "utf-8-sig":
    # JSON text, not a file name (it was read as a path: "File name too long").
    text = _SAMPLE.read_text(encoding="utf-8")
    expected = import_package(json.loads(text))
    assert import_package("\ufeff" + text) == expected
    assert import_package("\ufeff \n" + text) == expected
    (tmp_path / "bom.json").write_text(text, encoding="utf-8-sig")
    assert import_package((tmp_path / "bom.json").read_text(encoding="utf-8")) == expected
    assert import_package(tmp_path / "bom.json") == expected

def test_a_package_with_values_json_cannot_hold_is_a_validation_error():
    with pytest.raises(ValidationError) as info:
        import_package({"CFDocument": {"identifier": "d", "title": "t", "when": object()}})
    assert info.value.field == "$"


def _ref(ident):
    return {"identifier": ident, "uri": f"urn:x:{ident}", "title": ident}


def test_an_edit_does_not_place_an_item_the_source_left_unplaced():
    # i2 has no isChildOf (it is linked only to an item of another framework): mentorkit
    # reads it as top level. Retitling i1 used to add an isChildOf i2 -> document.
    when = "2020-01-01T00:00:00+00:00"

    def item(ident, code):
        return {"identifier": ident, "uri": f"urn:x:{ident}", "fullStatement": code.lower(),
                "humanCodingScheme": code, "lastChangeDateTime": when}  # fmt: skip

    def assoc(ident, kind, origin, dest):
        return {"identifier": ident, "uri": f"urn:x:{ident}", "associationType": kind,
                "originNodeURI": _ref(origin), "destinationNodeURI": _ref(dest),
                "lastChangeDateTime": when}  # fmt: skip

    source = {
        "CFDocument": {
            "identifier": "d1", "uri": "urn:x:d1", "creator": "c", "title": "Doc",
            "lastChangeDateTime": when,
        },
        "CFItems": [item("i1", "A"), item("i2", "B")],
        "CFAssociations": [
            assoc("a1", "isChildOf", "i1", "d1"),
            assoc("a2", "exactMatchOf", "i2", "elsewhere-9"),
        ],
    }
    fw = import_package(source)
    first, *rest = fw.competencies
    edited = attrs.evolve(fw, competencies=(attrs.evolve(first, title="A, edited"), *rest))
    out = export_package(edited, last_change=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    assert [a["identifier"] for a in out["CFAssociations"]] == ["a1", "a2"]
    assert import_package(out, id=fw.id) == edited
    # Moving it on purpose still writes the link.
    moved = attrs.evolve(edited, competencies=(
        attrs.evolve(edited.competencies[0], children=(rest[0],)),
    ))  # fmt: skip
    out = export_package(moved, last_change=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    links = {(a["originNodeURI"]["identifier"], a["destinationNodeURI"]["identifier"])
             for a in out["CFAssociations"] if a["associationType"] == "isChildOf"}  # fmt: skip
    assert links == {("i1", "d1"), ("i2", "i1")}
    assert import_package(out, id=fw.id) == moved
