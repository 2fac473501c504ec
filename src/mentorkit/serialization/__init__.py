"""One cattrs converter for everything, and tagged, versioned JSON documents.

Every document carries its type tag (``"$type"``) and the schema version it was written with
(``"$schema"``). Subclasses of model classes round-trip as their own type once registered.

Examples:
    >>> import datetime as dt
    >>> from mentorkit import Mentorship
    >>> m = Mentorship(id="m-1", mentor_id="p-1", mentee_id="p-2", start=dt.date(2024, 8, 1))
    >>> from_json(to_json(m)) == m
    True
"""

from mentorkit.serialization._converter import (
    ENTITY_ENTRY_POINT_GROUP,
    SCHEMA_KEY,
    SCHEMA_VERSION,
    TAG_KEY,
    configure_converter,
    converter,
    entity_plugins,
    from_dict,
    from_json,
    load_entity_plugins,
    make_converter,
    register,
    registered_types,
    structure,
    tag_of,
    to_dict,
    to_json,
    type_of,
)

__all__ = [
    "ENTITY_ENTRY_POINT_GROUP",
    "SCHEMA_KEY",
    "SCHEMA_VERSION",
    "TAG_KEY",
    "configure_converter",
    "converter",
    "entity_plugins",
    "from_dict",
    "from_json",
    "load_entity_plugins",
    "make_converter",
    "register",
    "registered_types",
    "structure",
    "tag_of",
    "to_dict",
    "to_json",
    "type_of",
]
