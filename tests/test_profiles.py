"""The profile map's name splitting agrees with the shlex.split botocore uses on section names."""

from __future__ import annotations

import shlex

import pytest
from hypothesis import given
from hypothesis import strategies as st

from awsdoctor.profiles import section_target, split_section_name


def shlex_tokens(name: str) -> list[str] | None:
    try:
        return shlex.split(name)
    except ValueError:
        return None


@pytest.mark.parametrize("name", [
    "profile dev", "profile  dev ", "profile\tdev", "profile a b", "profile", "profile\x0bdev",
    "profile\x1cdev", "profile\xa0dev", "profile café", 'profile "my dev"', "profile 'x", "profile a\\ b",
])
def test_split_matches_shlex(name: str) -> None:
    assert split_section_name(name) == shlex_tokens(name)


@given(st.text(alphabet=st.sampled_from(list("profile ab\t\n\r\x0b\x0c\x1c\xa0\u2003é\"'\\")), max_size=20))
def test_split_matches_shlex_on_any_name(name: str) -> None:
    assert split_section_name(name) == shlex_tokens(name)


def test_vertical_tab_is_not_a_separator() -> None:
    # shlex splits on space, tab, CR and LF only, so botocore keeps [profile\x0bdev] as one token and drops it.
    assert section_target("profile\x0bdev") == ("profiles", None)
