"""Ways to make the one cattrs converter fast, measured side by side in one run (issue 16).

    python benchmarks/bench_codec.py                  # 100,000 entities, best of 3
    python benchmarks/bench_codec.py --n 5000 --repeat 1   # a quick smoke run

The entities are bench_storage's (persons, enrollments, mentorships). Each contender does
the codec's whole job on every entity and is timed alone (best of ``--repeat``, CPU time,
after a garbage collection); every ratio is against a named baseline measured in the same
run, so load from other processes mostly cancels out.

Write (entity -> validated stored entity with its new version, document text):

* baseline "to_dict + json.dumps": bench_storage's "entities" baseline without its database
  (what the write goal is 1.5x of, database included).
* "converter round trip, detailed": unstructure, structure back (validators run once, in
  ``__init__``) with ``detailed_validation=True`` hooks, one cached ``JSONEncoder``.
* "... detailed_validation=False": the same with cattrs' non-detailed generated hooks (no
  per-field try/except, no error list); errors are explained by re-running a detailed copy.
* "... + prefer_attrib_converters": fields with an attrs converter skip the type hook.
* "... + orjson": ``cattrs.preconf.orjson``'s converter (configured the mentorkit way) and
  ``orjson.dumps`` (only if orjson is installed; an optional extra at most).
* "... preconf json": ``cattrs.preconf.json``'s converter, configured the mentorkit way.
* "evolve + unstructure (no round trip)": validators once through ``attrs.evolve``; no
  structure (not the same check: fields without validators go unchecked).
* "storage._codec.encode as it is": the store's write encoding (with its generated write
  shortcut, ``storage._fastpath``), and the same with the shortcut switched off.

Read (document text -> entity): baseline ``json.loads``; the same converters' structure
hooks; ``orjson.loads``; the shortcut. And ``read_fields``-style projections of three
fields: whole entity + ``getattr`` vs per-field structure hooks (``get_structure_hook``).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import importlib.util
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import cattrs

sys.path.insert(0, str(Path(__file__).parent))
from bench_storage import make_entities

from mentorkit.serialization import configure_converter, to_dict
from mentorkit.storage import _codec

HAVE_ORJSON = importlib.util.find_spec("orjson") is not None
_ENCODE = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode
_DECODE = json.JSONDecoder().decode


def _convert(conv: cattrs.Converter) -> cattrs.Converter:
    configure_converter(conv)
    return conv


def converter(**options: Any) -> cattrs.Converter:
    settings: dict[str, Any] = {"forbid_extra_keys": True, "detailed_validation": True}
    settings.update(options)
    return _convert(cattrs.Converter(unstruct_collection_overrides={tuple: list}, **settings))


def preconf(kind: str, **options: Any) -> cattrs.Converter:
    module = importlib.import_module(f"cattrs.preconf.{kind}")
    conv: cattrs.Converter = module.make_converter(
        forbid_extra_keys=True, detailed_validation=False, **options
    )
    return _convert(conv)


def writer(conv: cattrs.Converter, dumps: Callable[[Any], Any] = _ENCODE) -> Callable[[Any], Any]:
    hooks: dict[type, tuple[Any, Any]] = {}

    def write(e: Any) -> tuple[Any, Any]:
        cls = type(e)
        try:
            un, st = hooks[cls]
        except KeyError:
            un, st = hooks[cls] = (conv.get_unstructure_hook(cls), conv.get_structure_hook(cls))
        body = un(e)
        body["version"] = e.version + 1
        stored = st(body, cls)
        return stored, dumps(body)

    return write


def evolve_writer(conv: cattrs.Converter) -> Callable[[Any], Any]:
    def write(e: Any) -> tuple[Any, Any]:
        stored = attrs.evolve(e, version=e.version + 1)
        return stored, _ENCODE(conv.unstructure(stored, type(stored)))

    return write


def reader(conv: cattrs.Converter, loads: Callable[[Any], Any] = _DECODE) -> Callable[..., Any]:
    def read(cls: type, text: str) -> Any:
        doc = loads(text)
        del doc["$type"], doc["$schema"]
        return conv.get_structure_hook(cls)(doc, cls)

    return read


def projector(conv: cattrs.Converter, names: tuple[str, ...]) -> Callable[..., Any]:
    """Per-field structure hooks, then the attrs converter of each field (no entity)."""
    plans: dict[type, list[tuple[str, Any, Any, Any]]] = {}

    def plan(cls: type) -> list[tuple[str, Any, Any, Any]]:
        fields = attrs.fields_dict(cls)
        return [
            (n, conv.get_structure_hook(fields[n].type), fields[n].type, fields[n].converter)
            for n in names
        ]

    def project(cls: type, text: str) -> tuple[Any, ...]:
        doc = _DECODE(text)
        steps = plans.get(cls) or plans.setdefault(cls, plan(cls))
        out = []
        for name, hook, tp, conv_ in steps:
            v = hook(doc[name], tp)
            out.append(conv_(v) if conv_ is not None else v)
        return tuple(out)

    return project


def _without_shortcut(entities: list[Any]) -> list[Any]:
    """``_codec.encode`` of every entity with its generated write shortcut switched off."""
    saved = {cls: _codec.info(cls) for cls in {type(e) for e in entities}}
    _codec._INFO.update({cls: meta._replace(fast_encode=None) for cls, meta in saved.items()})
    try:
        return [_codec.encode(e) for e in entities]
    finally:
        _codec._INFO.update(saved)


def best(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        t = time.process_time()
        fn()
        times.append(time.process_time() - t)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    entities = make_entities(args.n)
    texts = [(type(e), json.dumps(to_dict(e), ensure_ascii=False)) for e in entities]

    detailed = converter()
    fast = converter(detailed_validation=False)
    prefer = converter(detailed_validation=False, prefer_attrib_converters=True)
    write: dict[str, Callable[[Any], Any]] = {
        "converter round trip, detailed": writer(detailed),
        "converter round trip, detailed_validation=False": writer(fast),
        "  + prefer_attrib_converters": writer(prefer),
        "cattrs.preconf.json converter (non-detailed)": writer(
            preconf("json"), preconf("json").dumps
        ),
        "evolve + unstructure (validators once, no round trip)": evolve_writer(fast),
    }
    read: dict[str, Callable[..., Any]] = {
        "converter, detailed": reader(detailed),
        "converter, detailed_validation=False": reader(fast),
        "  + prefer_attrib_converters": reader(prefer),
    }
    if HAVE_ORJSON:
        import orjson

        oconv = preconf("orjson")
        write["cattrs.preconf.orjson + orjson.dumps (non-detailed)"] = writer(oconv, orjson.dumps)
        read["orjson.loads + non-detailed converter"] = reader(fast, orjson.loads)
    write["storage._codec.encode as it is (incl. keys)"] = _codec.encode
    if getattr(_codec, "_fastpath", None) is not None:  # the generated write, while it exists
        write["  the same, write shortcut off (round trip, keys)"] = None  # type: ignore[assignment]
    read["storage._codec.decode_many as it is"] = None  # type: ignore[assignment]

    results: list[tuple[str, str, float, float]] = []
    base_w = best(
        lambda: [json.dumps(to_dict(e), ensure_ascii=False) for e in entities], args.repeat
    )
    results.append(("write", "baseline: to_dict + json.dumps", base_w, 1.0))
    for name, fn in write.items():
        if fn is None:
            t = best(lambda: _without_shortcut(entities), args.repeat)
        else:
            t = best(lambda fn=fn: [fn(e) for e in entities], args.repeat)
        results.append(("write", name, t, t / base_w))

    base_r = best(lambda: [json.loads(t) for _, t in texts], args.repeat)
    results.append(("read", "baseline: json.loads", base_r, 1.0))
    by_collection: dict[str, list[tuple[str, str]]] = {}
    for e, (_, text) in zip(entities, texts, strict=True):
        by_collection.setdefault(e.collection, []).append((_codec.info(type(e)).tag, text))
    for name, fn in read.items():
        if fn is None:
            t = best(
                lambda: [_codec.decode_many(rows, c) for c, rows in by_collection.items()],
                args.repeat,
            )
        else:
            t = best(lambda fn=fn: [fn(cls, text) for cls, text in texts], args.repeat)
        results.append(("read", name, t, t / base_r))
    t = best(lambda: [_codec.decode(_codec.info(c).tag, text) for c, text in texts], args.repeat)
    results.append(("read", "storage._codec.decode as it is", t, t / base_r))

    names = ("id", "version", "person_id")
    people = [(c, t) for c, t in texts if c.collection in ("enrollment",)]
    base_p = best(lambda: [json.loads(t) for _, t in people], args.repeat)
    results.append(("fields", "baseline: json.loads (enrollments)", base_p, 1.0))
    whole = reader(fast)
    t = best(
        lambda: [tuple(getattr(e, n) for n in names) for e in (whole(c, x) for c, x in people)],
        args.repeat,
    )
    results.append(("fields", "whole entity (non-detailed) + getattr", t, t / base_p))
    proj = projector(fast, names)
    t = best(lambda: [proj(c, x) for c, x in people], args.repeat)
    results.append(("fields", "per-field get_structure_hook + attrs converter", t, t / base_p))
    if hasattr(_codec, "decode_fields"):
        rows = [(_codec.info(c).tag, x) for c, x in people]
        t = best(lambda: _codec.decode_fields(rows, "enrollment", names), args.repeat)
        results.append(("fields", "storage._codec.decode_fields as it is", t, t / base_p))

    print(f"{len(entities):,} entities (bench_storage's mix), best of {args.repeat}, cpu seconds; "
          f"orjson {'installed' if HAVE_ORJSON else 'not installed'}")  # fmt: skip
    print(f"{'':6} {'contender':<58} {'seconds':>8} {'ratio':>7}")
    for kind, name, secs, ratio in results:
        print(f"{kind:6} {name:<58} {secs:8.3f} {ratio:6.2f}x")


if __name__ == "__main__":
    main()
