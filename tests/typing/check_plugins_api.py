"""Pins the types of the plugin API. Type-checked by ``mypy --strict``, never executed."""

from collections.abc import Mapping
from typing import Any, assert_type

from mentorkit.errors import PluginWarning
from mentorkit.frameworks import CompetencyFramework
from mentorkit.frameworks.case import export_package, import_package
from mentorkit.matching import matchers
from mentorkit.serialization import ENTITY_ENTRY_POINT_GROUP, entity_plugins, load_entity_plugins
from mentorkit.storage import registered_stores

assert_type(entity_plugins(), dict[str, str])
assert_type(load_entity_plugins(), dict[str, type[Any]])
assert_type(ENTITY_ENTRY_POINT_GROUP, str)
assert issubclass(PluginWarning, UserWarning)
assert isinstance(registered_stores, Mapping)
assert isinstance(matchers, Mapping)

fw = import_package("standards.json")
assert_type(fw, CompetencyFramework)
assert_type(fw.source, str | None)
assert_type(import_package(b"{}"), CompetencyFramework)
assert_type(export_package(fw), dict[str, Any])
