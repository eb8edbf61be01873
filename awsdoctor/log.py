"""Debug and info logging that does not import :mod:`logging` on an ordinary run.

awsdoctor runs at every shell prompt or pre-commit hook, so its start-up time
is part of every use, and importing ``logging`` alone costs several
milliseconds (it loads traceback, string and threading). Modules on the
``check`` path therefore log through :func:`get_logger`::

    logger = get_logger(__name__)
    logger.debug("rule %s raised", code, exc_info=True)

A record is passed on to ``logging.getLogger(name)`` only when ``logging`` has
been imported: the CLI imports and configures it for ``-v``, and botocore
imports it under ``--live``. Until then nothing can have configured a handler
or lowered the root level from WARNING, so logging would drop a debug or info
record anyway. That is why only these two levels exist here.

Other start-up costs are avoided the same way across the package: no
dataclasses (the module imports inspect, and each class runs ``exec`` at
import). Records are NamedTuples or slotted classes.
"""

from __future__ import annotations

import sys

DEBUG = 10
INFO = 20


class Logger:
    """The debug and info methods of a :class:`logging.Logger`, forwarded once ``logging`` is loaded."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def debug(self, message: str, *args: object, exc_info: bool = False) -> None:
        self._log(DEBUG, message, args, exc_info)

    def info(self, message: str, *args: object, exc_info: bool = False) -> None:
        self._log(INFO, message, args, exc_info)

    def _log(self, level: int, message: str, args: tuple[object, ...], exc_info: bool) -> None:
        if "logging" not in sys.modules:
            return
        import logging

        # stacklevel 3 attributes the record to the caller of debug() or info(), not to this module.
        logging.getLogger(self.name).log(level, message, *args, exc_info=exc_info, stacklevel=3)


def get_logger(name: str) -> Logger:
    return Logger(name)
