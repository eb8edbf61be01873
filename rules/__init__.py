"""The rule catalog, one module per area; the registry is collected from the modules.

Installed as ``awsdoctor.rules``. Every :class:`~awsdoctor.rule.Rule` defined
at module level in the modules below is registered; the rule list, the
``awsdoctor rules`` command, docs/rules.md and the SARIF rule metadata are all
generated from this registry.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from awsdoctor.log import get_logger
from awsdoctor.rule import Rule

if TYPE_CHECKING:
    from types import ModuleType

logger = get_logger(__name__)

# One module per area, in code order.
MODULES = (
    "internal",
    "files",
    "sections",
    "keys",
    "settings",
    "assume_role",
    "credential_sources",
    "environment",
    "secrets",
    "caches",
    "live",
)

_registry: dict[str, Rule] | None = None
_load_failures: dict[str, str] = {}


def _load(name: str) -> ModuleType | None:
    """Import one area module; a module that fails to import is recorded, and its rules are missing."""
    try:
        return importlib.import_module(f"{__name__}.{name}")
    except Exception as error:  # a broken module must not take the other areas down with it
        if isinstance(error, ModuleNotFoundError) and error.name == f"{__name__}.{name}":
            return None
        logger.debug("rule module %s failed to import", name, exc_info=True)
        _load_failures[name] = type(error).__name__
        return None


def load_failures() -> dict[str, str]:
    """Return the rule modules that failed to import, with the exception class name of each."""
    registry()
    return dict(_load_failures)


def registry() -> dict[str, Rule]:
    """Return every rule by code, sorted by code; a code or name used twice is a programming error."""
    global _registry
    if _registry is None:
        rules: dict[str, Rule] = {}
        names: dict[str, str] = {}
        for module_name in MODULES:
            module = _load(module_name)
            if module is None:
                continue
            for value in vars(module).values():
                if not isinstance(value, Rule):
                    continue
                if value.code in rules and rules[value.code] is not value:
                    raise RuntimeError(f"rule code {value.code} is defined twice")
                if value.name in names and names[value.name] != value.code:
                    raise RuntimeError(f"rule name {value.name} is used by {names[value.name]} and {value.code}")
                rules[value.code] = value
                names[value.name] = value.code
        _registry = dict(sorted(rules.items()))
    return _registry
