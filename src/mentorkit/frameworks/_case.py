"""IMS CASE (Competencies and Academic Standards Exchange) CFPackage import and export."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import uuid as uuidlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mentorkit.errors import NotFoundError, ValidationError
from mentorkit.frameworks._model import Competency, CompetencyFramework, Level, ProficiencyScale

#: The namespace of the stable UUIDs an export derives for objects that have none.
NAMESPACE = uuidlib.UUID("9b1e6a2c-5d1f-4c47-9a57-6a0f2f7d3c11")
#: The ``CFItemType`` that marks an item as an indicator of its parent competency.
INDICATOR_TYPE = "Indicator"
#: The key under ``CFDocument.extensions`` (a CASE 1.1 field) where mentorkit keeps what
#: CASE has no field for: the framework's name and the codes of its scale's levels.
EXTENSION_KEY = "mentorkit"

#: The deepest item hierarchy an import accepts (real frameworks nest a handful of levels).
MAX_DEPTH = 64


def _derived(*parts: str) -> str:
    return str(uuidlib.uuid5(NAMESPACE, "\x1f".join(parts)))


def _framework_uuid(fw_id: str) -> str:
    return _derived("framework", fw_id)


def _item_uuid(fw_id: str, code: str) -> str:
    return _derived("competency", fw_id, code)


# -- import --------------------------------------------------------------------------------


def _read(package: Mapping[str, Any] | str | bytes | os.PathLike[str]) -> Mapping[str, Any]:
    # A CFPackage is a JSON object, so JSON text starts with "{" (or "[" for a wrong one);
    # no sensible file name does. Any other string is a path, like an os.PathLike. Text read
    # from a UTF-8 file saved with a byte order mark starts with U+FEFF, which json refuses.
    if isinstance(package, str):
        text = package.removeprefix("\ufeff")
        package = text if text.lstrip().startswith(("{", "[")) else Path(package)
    if isinstance(package, os.PathLike):
        path = Path(package)
        try:
            if path.exists() and not path.is_file():  # a folder, or a FIFO that would block
                raise ValidationError("must be a JSON file", field="package", value=str(path))
            package = path.read_bytes()
        except FileNotFoundError:
            raise NotFoundError(f"no such file: {path}") from None
        except OSError as exc:
            raise ValidationError(
                f"cannot be read: {exc.strerror}", field="package", value=str(path)
            ) from None
    if isinstance(package, str | bytes):
        try:
            package = json.loads(package)
        except (ValueError, RecursionError) as exc:  # not JSON, not UTF-8, too deep or long
            raise ValidationError(f"is not JSON: {exc}", field="$") from None
    if not isinstance(package, Mapping):
        raise ValidationError(
            "a CFPackage must be a JSON object", field="$", value=type(package).__name__
        )
    return package


def _source_text(package: Mapping[str, Any]) -> str:
    try:
        return json.dumps(package, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ValidationError(f"does not hold only JSON values: {exc}", field="$") from None


def _str(obj: Mapping[str, Any], key: str, where: str, *, required: bool = False) -> str | None:
    value = obj.get(key)
    if value is None:
        if required:
            raise ValidationError("is missing", field=f"{where}.{key}")
        return None
    if not isinstance(value, str):
        raise ValidationError("must be a string", field=f"{where}.{key}", value=value)
    return value


def _objects(package: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    value = package.get(key) or []
    if not isinstance(value, list):
        raise ValidationError("must be a list", field=f"$.{key}", value=type(value).__name__)
    for i, obj in enumerate(value):
        if not isinstance(obj, Mapping):
            raise ValidationError("must be an object", field=f"$.{key}[{i}]", value=obj)
    return value


def _link_id(assoc: Mapping[str, Any], key: str, where: str) -> str:
    link = assoc.get(key)
    if isinstance(link, Mapping) and isinstance(link.get("identifier"), str):
        return str(link["identifier"])
    if isinstance(link, str):  # some servers write a bare URI; its last segment is the id
        return link.rstrip("/").rsplit("/", 1)[-1]
    raise ValidationError("must be a link with an identifier", field=f"{where}.{key}", value=link)


def _is_code(text: str | None) -> bool:
    return bool(text) and text is not None and text.strip() == text


def _slug(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", text.lower()).strip("_")


def _scale(package: Mapping[str, Any], ext: Mapping[str, Any]) -> ProficiencyScale | None:
    """The first rubric criterion with levels, as a scale (mentorkit holds one per framework)."""
    for rubric in _objects(package, "CFRubrics"):
        criteria = rubric.get("CFRubricCriteria") or []
        for criterion in criteria if isinstance(criteria, list) else []:
            if not isinstance(criterion, Mapping):
                continue
            raw = criterion.get("CFRubricCriterionLevels") or []
            levels = [lv for lv in raw if isinstance(lv, Mapping)] if isinstance(raw, list) else []
            if not levels:
                continue
            ordered = sorted(
                enumerate(levels),
                key=lambda p: (
                    not isinstance(p[1].get("position"), int),
                    p[1].get("position") if isinstance(p[1].get("position"), int) else 0,
                    p[0],
                ),
            )
            codes = ext.get("levelCodes")
            if not (
                isinstance(codes, list)
                and len(codes) == len(ordered)
                and all(_is_code(c) for c in codes)
                and len(set(codes)) == len(codes)
            ):
                codes = []
                for n, (_, lv) in enumerate(ordered, start=1):
                    code = _slug(str(lv.get("quality") or "")) or f"level_{n}"
                    codes.append(code if code not in codes else f"{code}_{n}")
            scale_id = criterion.get("category")
            title = rubric.get("title")
            return ProficiencyScale(
                id=scale_id if isinstance(scale_id, str) and _is_code(scale_id) else "case-rubric",
                title=title if isinstance(title, str) else "",
                levels=[
                    Level(
                        code=code,
                        title=lv["quality"] if isinstance(lv.get("quality"), str) else code,
                        description=(
                            lv["description"] if isinstance(lv.get("description"), str) else ""
                        ),
                    )
                    for code, (_, lv) in zip(codes, ordered, strict=True)
                ],
            )
    return None


def import_package(
    package: Mapping[str, Any] | str | bytes | os.PathLike[str], *, id: str | None = None
) -> CompetencyFramework:
    """Read an IMS CASE 1.0 or 1.1 CFPackage into a `CompetencyFramework`.

    ``package`` is parsed JSON (a mapping), JSON text (a ``str`` starting with ``{``, or
    ``bytes``), or a path (an ``os.PathLike``, or any other ``str``), so
    ``import_package("framework.json")`` reads the file.

    The ``CFDocument`` becomes the framework; each ``CFItem`` a competency; ``isChildOf``
    associations give the tree, ordered by ``sequenceNumber`` and then by the order of the
    items in the package; items of ``CFItemType`` ``"Indicator"`` become indicators of
    their parent. The first ``CFRubric`` criterion with levels becomes the proficiency
    scale (otherwise the default four-point scale applies). A competency's code is the
    item's ``humanCodingScheme`` (its identifier when there is none, or when the code is
    taken); its title is the ``abbreviatedStatement`` when there is one, with the
    ``fullStatement`` as description, else the ``fullStatement``. CASE identifiers are
    kept in the ``uuid`` fields so that a re-export writes them back.

    Fields mentorkit does not model (other association types, ``CFDefinitions``, item types,
    languages, URIs, dates, 1.1 additions...) are never an error: the whole package is kept
    in the framework's ``source``, and [`export_package`][mentorkit.frameworks.case.export_package]
    writes it back.

    Args:
        package: The package as parsed JSON, as JSON text or bytes, or a path to a JSON file.
        id: The framework's name in mentorkit; defaults to the one a mentorkit export
            recorded, else the ``CFDocument`` identifier.

    Returns:
        The framework.

    Raises:
        ValidationError: the package is not JSON, has no ``CFDocument``, an item or
            association lacks its identifier, or ``isChildOf`` links form a loop (naming
            the path of the bad field).
        NotFoundError: a path that does not exist.

    Examples:
        >>> from mentorkit.frameworks import load_framework
        >>> fw = load_framework("manager-of-self")
        >>> import_package(export_package(fw)) == fw
        True
    """
    if id is not None and not isinstance(id, str):
        raise ValidationError("must be a framework name (a string) or None", field="id",
                              value=id)  # fmt: skip
    pkg = _read(package)
    source = _source_text(pkg)
    doc = pkg.get("CFDocument")
    if not isinstance(doc, Mapping):
        raise ValidationError("is missing or not an object", field="$.CFDocument")
    doc_id = _str(doc, "identifier", "$.CFDocument", required=True)
    assert doc_id is not None
    raw_ext = doc.get("extensions")
    ext_all = raw_ext if isinstance(raw_ext, Mapping) else {}
    ext = ext_all.get(EXTENSION_KEY) if isinstance(ext_all.get(EXTENSION_KEY), Mapping) else {}
    assert isinstance(ext, Mapping)
    ext_id = ext.get("frameworkId")
    fw_id = (
        id
        if id is not None
        else (ext_id if isinstance(ext_id, str) and _is_code(ext_id) else doc_id)
    )

    items: dict[str, Mapping[str, Any]] = {}
    position: dict[str, int] = {}
    for i, item in enumerate(_objects(pkg, "CFItems")):
        ident = _str(item, "identifier", f"$.CFItems[{i}]", required=True)
        assert ident is not None
        if ident not in items:
            items[ident] = item
            position[ident] = i

    # child -> (parent, sort key); the first isChildOf link of an item wins (a tree, not a DAG)
    parents: dict[str, tuple[str | None, tuple[int, int, int]]] = {}
    for i, assoc in enumerate(_objects(pkg, "CFAssociations")):
        if assoc.get("associationType") != "isChildOf":
            continue
        where = f"$.CFAssociations[{i}]"
        child = _link_id(assoc, "originNodeURI", where)
        parent: str | None = _link_id(assoc, "destinationNodeURI", where)
        if child not in items or child in parents:
            continue
        if parent not in items:
            parent = None  # the document itself, or something outside this package
        seq = assoc.get("sequenceNumber")
        number = seq if isinstance(seq, int) and not isinstance(seq, bool) else None
        key = (0, number, position[child]) if number is not None else (1, 0, position[child])
        parents[child] = (parent, key)
    for ident in items:
        parents.setdefault(ident, (None, (1, 0, position[ident])))

    children: dict[str | None, list[str]] = {}
    for ident, (parent, _) in parents.items():
        children.setdefault(parent, []).append(ident)
    for kids in children.values():
        kids.sort(key=lambda k: parents[k][1])

    reachable: set[str] = set()
    stack = [(top, 1) for top in children.get(None, [])]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ValidationError(
                f"isChildOf associations nest items more than {MAX_DEPTH} levels deep",
                field="$.CFAssociations",
                value=node,
            )
        reachable.add(node)
        stack.extend((kid, depth + 1) for kid in children.get(node, []))
    if len(reachable) != len(items):
        stuck = sorted(set(items) - reachable)[0]
        raise ValidationError(
            "isChildOf associations form a loop", field="$.CFAssociations", value=stuck
        )

    codes: set[str] = set()

    def build(ident: str) -> Competency:
        item = items[ident]
        hcs = item.get("humanCodingScheme")
        code = hcs if isinstance(hcs, str) and _is_code(hcs) and hcs not in codes else ident
        codes.add(code)
        full = item.get("fullStatement")
        full = full if isinstance(full, str) else ""
        abbr = item.get("abbreviatedStatement")
        title, description = (abbr, full) if isinstance(abbr, str) else (full, "")
        kids: list[Competency] = []
        indicators: list[str] = []
        for kid in children.get(ident, []):
            kid_item = items[kid]
            statement = kid_item.get("fullStatement")
            if (
                kid_item.get("CFItemType") == INDICATOR_TYPE
                and not children.get(kid)
                and isinstance(statement, str)
                and statement.strip()
            ):
                indicators.append(statement)
            else:
                kids.append(build(kid))
        return Competency(
            code=code,
            title=title,
            description=description,
            indicators=indicators,
            children=kids,
            uuid=None if ident == _item_uuid(fw_id, code) else ident,
        )

    title = doc.get("title")
    version = doc.get("version")
    description = doc.get("description")
    scale = _scale(pkg, ext)
    return CompetencyFramework(
        id=fw_id,
        title=title if isinstance(title, str) else doc_id,
        version=version if isinstance(version, str) else "",
        description=description if isinstance(description, str) else "",
        competencies=[build(top) for top in children.get(None, [])],
        uuid=None if doc_id == _framework_uuid(fw_id) else doc_id,
        source=source,
        **({"scale": scale} if scale is not None else {}),
    )


# -- export --------------------------------------------------------------------------------


def _stamp(moment: dt.datetime | None) -> str:
    moment = moment or dt.datetime.now(dt.UTC)
    if moment.utcoffset() is None:
        raise ValidationError("must be timezone-aware", field="last_change", value=moment)
    return moment.replace(microsecond=0).isoformat()


def export_package(
    framework: CompetencyFramework,
    *,
    base_uri: str = "https://mentorkit.invalid/ims/case/v1p0",
    creator: str | None = None,
    last_change: dt.datetime | None = None,
) -> dict[str, Any]:
    """Write a framework as an IMS CASE 1.0 CFPackage (a JSON-ready ``dict``).

    A framework imported from a CASE package (its ``source`` is set) is written back as it
    came: unchanged, the package itself, every association type, ``CFDefinitions``, URI,
    date and creator included and nothing added; edited, the package with the edits applied
    (titles, statements, codes, the tree, the scale; new objects get derived identifiers
    and ``last_change``, associations to removed items are dropped, the rest is kept; an
    item the source left without a parent gets none unless the edited order needs one).

    The package validates against the CASE 1.0 CFPackage JSON Schema. Competencies become
    ``CFItem`` objects linked by ordered ``isChildOf`` associations; indicators become
    child items of ``CFItemType`` ``"Indicator"``; the scale becomes a ``CFRubric`` with one
    criterion whose levels are the scale's levels, lowest first. Objects without a ``uuid``
    get a stable one derived from the framework id and competency code, so exporting twice
    gives the same identifiers. What CASE has no field for (the framework's name, level
    codes) goes into ``CFDocument.extensions.mentorkit``, which CASE readers ignore.
    [`import_package`][mentorkit.frameworks.case.import_package] reads the result back into an equal
    framework.

    Args:
        framework: The framework to export.
        base_uri: The URI prefix of the ``uri`` of every new object.
        creator: The ``CFDocument.creator``; defaults to the source's, else ``"mentorkit"``.
        last_change: The ``lastChangeDateTime`` of every new or changed object
            (timezone-aware); defaults to now.

    Returns:
        The CFPackage; ``json.dumps`` it to publish.

    Raises:
        ValidationError: ``last_change`` is naive, or ``framework`` is not a framework.
    """
    if not isinstance(framework, CompetencyFramework):
        raise ValidationError(
            "must be a CompetencyFramework", field="framework", value=type(framework).__name__
        )
    stamp = _stamp(last_change)
    if framework.source is not None:
        source = json.loads(framework.source)
        if creator is not None and isinstance(source.get("CFDocument"), dict):
            source["CFDocument"]["creator"] = creator
        if import_package(framework.source, id=framework.id) == framework:
            return source  # type: ignore[no-any-return]
        fresh = _generate(framework, base_uri=base_uri, creator=creator, stamp=stamp)
        return _merge(fresh, source, framework, stamp)
    return _generate(framework, base_uri=base_uri, creator=creator, stamp=stamp)


def _generate(
    fw: CompetencyFramework, *, base_uri: str, creator: str | None, stamp: str
) -> dict[str, Any]:
    base = base_uri.rstrip("/")

    def uri(kind: str, ident: str) -> str:
        return f"{base}/{kind}/{ident}"

    doc_id = fw.uuid or _framework_uuid(fw.id)
    doc_link = {"title": fw.title, "identifier": doc_id, "uri": uri("CFDocuments", doc_id)}
    document: dict[str, Any] = {
        "identifier": doc_id,
        "uri": doc_link["uri"],
        "creator": creator if creator is not None else "mentorkit",
        "title": fw.title,
        "lastChangeDateTime": stamp,
    }
    if fw.version:
        document["version"] = fw.version
    if fw.description:
        document["description"] = fw.description
    document["extensions"] = {
        EXTENSION_KEY: {"frameworkId": fw.id, "levelCodes": list(fw.scale.codes)}
    }

    items: list[dict[str, Any]] = []
    associations: list[dict[str, Any]] = []

    def link(item: Mapping[str, Any]) -> dict[str, str]:
        label = item.get("humanCodingScheme") or item["fullStatement"][:60] or item["identifier"]
        return {"title": label, "identifier": item["identifier"], "uri": item["uri"]}

    def child_of(child: Mapping[str, Any], parent: Mapping[str, str], seq: int) -> None:
        ident = _derived("isChildOf", child["identifier"], parent["identifier"])
        associations.append(
            {
                "identifier": ident,
                "uri": uri("CFAssociations", ident),
                "associationType": "isChildOf",
                "sequenceNumber": seq,
                "originNodeURI": link(child),
                "destinationNodeURI": dict(parent),
                "lastChangeDateTime": stamp,
            }
        )

    def visit(comp: Competency, parent: Mapping[str, str], seq: int) -> None:
        ident = comp.uuid or _item_uuid(fw.id, comp.code)
        item: dict[str, Any] = {"identifier": ident, "uri": uri("CFItems", ident)}
        if comp.description:
            item["fullStatement"] = comp.description
            item["abbreviatedStatement"] = comp.title
        else:
            item["fullStatement"] = comp.title
        if comp.code != ident:
            item["humanCodingScheme"] = comp.code
        item["lastChangeDateTime"] = stamp
        items.append(item)
        child_of(item, parent, seq)
        me = link(item)
        for n, kid in enumerate(comp.children, start=1):
            visit(kid, me, n)
        for n, text in enumerate(comp.indicators, start=len(comp.children) + 1):
            ind_id = _derived("indicator", fw.id, comp.code, str(n))
            indicator = {
                "identifier": ind_id,
                "uri": uri("CFItems", ind_id),
                "fullStatement": text,
                "CFItemType": INDICATOR_TYPE,
                "lastChangeDateTime": stamp,
            }
            items.append(indicator)
            child_of(indicator, me, n)

    for n, top in enumerate(fw.competencies, start=1):
        visit(top, doc_link, n)

    scale = fw.scale
    rubric_id = _derived("rubric", fw.id, scale.id)
    criterion_id = _derived("criterion", fw.id, scale.id)
    levels: list[dict[str, Any]] = []
    for rank, level in enumerate(scale.levels):
        level_id = _derived("level", fw.id, scale.id, level.code)
        entry: dict[str, Any] = {
            "identifier": level_id,
            "uri": uri("CFRubricCriterionLevels", level_id),
            "quality": level.title,
            "score": float(rank),
            "position": rank + 1,
            "rubricCriterionId": criterion_id,
            "lastChangeDateTime": stamp,
        }
        if level.description:
            entry["description"] = level.description
        levels.append(entry)
    rubric = {
        "identifier": rubric_id,
        "uri": uri("CFRubrics", rubric_id),
        "title": scale.title,
        "lastChangeDateTime": stamp,
        "CFRubricCriteria": [
            {
                "identifier": criterion_id,
                "uri": uri("CFRubricCriteria", criterion_id),
                "category": scale.id,
                "position": 1,
                "rubricId": rubric_id,
                "lastChangeDateTime": stamp,
                "CFRubricCriterionLevels": levels,
            }
        ],
    }
    return {
        "CFDocument": document,
        "CFItems": items,
        "CFAssociations": associations,
        "CFRubrics": [rubric],
    }


# What an export writes from the model; every other key of a source object is kept as given.
_DOC_KEYS = ("title", "version", "description")
_ITEM_KEYS = ("fullStatement", "abbreviatedStatement", "humanCodingScheme")


def _overlay(
    src: Mapping[str, Any], new: Mapping[str, Any], keys: tuple[str, ...], stamp: str
) -> dict[str, Any]:
    out = dict(src)
    for key in keys:
        if key in new:
            out[key] = new[key]
        else:
            out.pop(key, None)
    if any(out.get(k) != src.get(k) for k in keys):
        out["lastChangeDateTime"] = stamp
    return out


def _ident(obj: Any) -> str | None:
    if isinstance(obj, Mapping) and isinstance(obj.get("identifier"), str):
        return str(obj["identifier"])
    return None


def _merge(
    fresh: dict[str, Any], source: dict[str, Any], fw: CompetencyFramework, stamp: str
) -> dict[str, Any]:
    """``source`` with the model's edits (``fresh``, exported from the edited model) applied."""
    out = dict(source)
    src_doc = source.get("CFDocument")
    doc = _overlay(src_doc if isinstance(src_doc, Mapping) else {}, fresh["CFDocument"],
                   _DOC_KEYS, stamp)  # fmt: skip
    doc["lastChangeDateTime"] = stamp
    out["CFDocument"] = doc

    raw_items = source.get("CFItems")
    src_items = {
        _ident(i): i for i in (raw_items if isinstance(raw_items, list) else []) if _ident(i)
    }
    items = [
        _overlay(src_items[i["identifier"]], i, _ITEM_KEYS, stamp)
        if i["identifier"] in src_items else i
        for i in fresh["CFItems"]
    ]  # fmt: skip
    out["CFItems"] = items
    kept = {i["identifier"] for i in items} | {doc.get("identifier")}
    removed = set(src_items) - kept

    raw_assocs = source.get("CFAssociations")
    src_assocs = [a for a in (raw_assocs if isinstance(raw_assocs, list) else [])
                  if isinstance(a, Mapping)]  # fmt: skip
    tree = {
        (_ident(a.get("originNodeURI")), _ident(a.get("destinationNodeURI"))): a
        for a in src_assocs
        if a.get("associationType") == "isChildOf"
    }
    # An item no isChildOf placed (its parent outside the package, or none) is a top-level
    # competency in the model: the links the unedited model would get are the import's
    # reading, not an edit, so they are left out unless the edited order needs them.
    before = import_package(json.dumps(source), id=fw.id)
    implied = {
        (a["originNodeURI"]["identifier"], a["destinationNodeURI"]["identifier"])
        for a in _generate(before, base_uri="", creator=None, stamp=stamp)["CFAssociations"]
    } - set(tree)

    def associations(skip: set[tuple[str, str]]) -> list[Any]:
        assocs: list[Any] = []
        for a in fresh["CFAssociations"]:
            ends = (a["originNodeURI"]["identifier"], a["destinationNodeURI"]["identifier"])
            if ends in skip:
                continue
            old = tree.get(ends)
            assocs.append(a if old is None else _overlay(old, a, ("sequenceNumber",), stamp))
        for a in src_assocs:
            if a.get("associationType") == "isChildOf":
                continue
            linked = {_ident(a.get("originNodeURI")), _ident(a.get("destinationNodeURI"))}
            if not linked & removed:
                assocs.append(a)
        return assocs

    out["CFAssociations"] = associations(implied)
    if implied and import_package(out, id=fw.id).competencies != fw.competencies:
        out["CFAssociations"] = associations(set())

    old_scale = before.scale
    if fw.scale != old_scale or "CFRubrics" in source:
        out["CFRubrics"] = (
            source["CFRubrics"] if fw.scale == old_scale else fresh["CFRubrics"]
        )
    return out
