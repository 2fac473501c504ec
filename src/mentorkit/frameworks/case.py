"""IMS CASE 1.0/1.1 interchange: read and write CFPackage JSON.

Districts and states publish competency frameworks as CASE packages (for instance from an
OpenSALT server). [`import_package`][mentorkit.frameworks.case.import_package] reads one into a
[`CompetencyFramework`][mentorkit.frameworks.CompetencyFramework];
[`export_package`][mentorkit.frameworks.case.export_package] writes a framework
as a CASE 1.0 package that validates against the CFPackage JSON Schema.

Examples:
    >>> import json
    >>> from mentorkit.frameworks import load_framework
    >>> from mentorkit.frameworks.case import export_package, import_package
    >>> fw = load_framework("leader-growth")
    >>> text = json.dumps(export_package(fw))
    >>> import_package(text) == fw
    True
"""

from mentorkit.frameworks._case import (
    EXTENSION_KEY,
    INDICATOR_TYPE,
    NAMESPACE,
    export_package,
    import_package,
)

__all__ = [
    "EXTENSION_KEY",
    "INDICATOR_TYPE",
    "NAMESPACE",
    "export_package",
    "import_package",
]
