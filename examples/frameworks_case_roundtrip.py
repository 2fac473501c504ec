"""Publish a framework as an IMS CASE package, read it back, and import a real OpenSALT export."""

import json
from pathlib import Path

from mentorkit.frameworks import Competency, load_framework
from mentorkit.frameworks.case import export_package, import_package

# The data sits beside the script, so a copy of examples/ runs anywhere.
CASE_DATA = Path(__file__).resolve().parent / "data" / "case"
if not CASE_DATA.is_dir():
    raise SystemExit(
        f"this example reads the CASE files in {CASE_DATA}: copy examples/ with its data/ "
        "folder, not the script alone"
    )

# 1. A built-in framework out to CASE and back.
framework = load_framework("leader-growth")
package = export_package(framework)
Path("leader-growth.case.json").write_text(json.dumps(package, indent=2), encoding="utf-8")
print(
    f"exported {framework.title!r}: {len(package['CFItems'])} CFItems, "
    f"{len(package['CFAssociations'])} isChildOf associations, "
    f"{len(package['CFRubrics'][0]['CFRubricCriteria'][0]['CFRubricCriterionLevels'])} levels"
)

try:
    import jsonschema
except ImportError:
    print("(install jsonschema to validate against the CASE 1.0 schema)")
else:
    schema = json.loads((CASE_DATA / "case-v1p0-cfpackage-schema.json").read_text())
    jsonschema.validate(package, schema)
    print("the export validates against the CASE 1.0 CFPackage JSON Schema")

back = import_package(Path("leader-growth.case.json"))
print("imported back equal to the original:", back == framework)

# 2. A real package exported by OpenSALT, the reference CASE server.
sample = import_package(CASE_DATA / "opensalt-sample-framework.json", id="ccss-ratios")
print(f"\n{sample.title} ({len(sample)} competencies)")


def show(competencies: tuple[Competency, ...], depth: int = 0) -> None:
    for comp in competencies:
        print(f"{'  ' * depth}{comp.code}: {comp.title[:60]}")
        show(comp.children, depth + 1)


show(sample.competencies)
again = import_package(export_package(sample))
print("\nre-export keeps items, hierarchy and order:", again == sample)
