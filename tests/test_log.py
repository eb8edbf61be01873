"""awsdoctor.log: records reach logging once it is loaded, attributed to the function that logs them."""

from __future__ import annotations

import logging

import pytest

from awsdoctor.log import get_logger


def test_debug_record_forwarded(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="awsdoctor.test")
    get_logger("awsdoctor.test").debug("rule %s raised", "AD401")
    assert [(record.name, record.levelno, record.getMessage()) for record in caplog.records] == [
        ("awsdoctor.test", logging.DEBUG, "rule AD401 raised"),
    ]


def test_record_names_caller(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="awsdoctor.test")
    get_logger("awsdoctor.test").info("read %d sections", 3)
    assert [record.funcName for record in caplog.records] == ["test_record_names_caller"]


def test_debug_below_level_dropped(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="awsdoctor.test")
    get_logger("awsdoctor.test").debug("not shown")
    assert caplog.records == []


def test_exception_info_kept(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="awsdoctor.test")
    try:
        raise KeyError("region")
    except KeyError:
        get_logger("awsdoctor.test").debug("rule %s raised", "AD401", exc_info=True)
    assert "KeyError: 'region'" in caplog.text
