"""The pure rules of number resources (号码资源): every number checked, tails filtered."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.core.numbers import (
    MAX_BLOCK,
    check_numbers,
    filter_by_tail,
    matches_tail,
    parse_blocks,
    tail_digits,
    uses_pool,
)

mobiles = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
not_mobiles = st.one_of(
    st.from_regex(r"1[0-2][0-9]{9}", fullmatch=True),  # no such prefix
    st.from_regex(r"1[3-9][0-9]{8}", fullmatch=True),  # 10 digits
    st.from_regex(r"1[3-9][0-9]{10}", fullmatch=True),  # 12 digits
    st.from_regex(r"0[0-9]{10}", fullmatch=True),  # a fixed number
    st.text(alphabet="abcxyz号码", min_size=1, max_size=12),  # no digits at all
)


@given(st.lists(mobiles, min_size=1, max_size=50, unique=True))
def test_a_block_of_valid_mobiles_passes_whole(numbers):
    checked, problems = check_numbers(numbers)
    assert checked == numbers and problems == []


@given(st.lists(mobiles, min_size=1, max_size=20, unique=True), not_mobiles, st.randoms())
def test_one_bad_number_is_named_and_refuses_the_block(numbers, bad, rnd):
    block = [*numbers]
    block.insert(rnd.randint(0, len(block)), bad)
    checked, problems = check_numbers(block)
    assert checked == numbers  # the good ones, in order
    assert [p.code for p in problems] == ["numbers.bad_number"]
    assert problems[0].field == "number_block"
    assert "号码资源" in problems[0].text("zh") and "nothing was published" in problems[0].text(
        "en"
    )


@given(st.lists(mobiles, min_size=1, max_size=20, unique=True), st.data())
def test_a_repeated_number_is_refused(numbers, data):
    again = data.draw(st.sampled_from(numbers))
    _, problems = check_numbers([*numbers, again])
    assert [p.code for p in problems] == ["numbers.duplicate"]


def test_an_empty_or_oversized_block_is_refused():
    assert [p.code for p in check_numbers([])[1]] == ["numbers.empty_block"]
    big = [str(13_000_000_000 + i) for i in range(MAX_BLOCK + 1)]
    assert [p.code for p in check_numbers(big)[1]] == ["numbers.block_too_large"]


@given(st.lists(mobiles, max_size=40, unique=True), st.from_regex(r"[0-9]{0,5}", fullmatch=True))
def test_the_tail_filter_keeps_exactly_the_numbers_ending_with_the_digits(numbers, tail):
    kept = filter_by_tail(numbers, tail)
    assert kept == [n for n in numbers if n[len(n) - len(tail) :] == tail or not tail]
    assert all(matches_tail(n, tail) for n in kept)


def test_the_tail_typed_is_read_as_digits():
    assert tail_digits(" 88-88 ") == "8888" and tail_digits("８８") == ""
    assert filter_by_tail(["18601018888", "13812345670"], "88 88") == ["18601018888"]


def test_a_number_in_two_counters_blocks_is_refused():
    body = {
        "blocks": [
            {"branch_code": "BJ0101", "workstation_code": "W01", "numbers": ["13812345670"]},
            {"branch_code": "BJ0101", "workstation_code": "W02", "numbers": ["13812345670"]},
        ]
    }
    blocks, problems = parse_blocks(body)
    assert [p.code for p in problems] == ["numbers.assigned_elsewhere"]
    assert "BJ0101/W01" in problems[0].text("zh") and len(blocks) == 2


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"blocks": "all"},
        {"blocks": ["13812345670"]},
        {"blocks": [{"workstation_code": "W01", "numbers": []}]},
        {"blocks": [{"branch_code": "BJ0101", "workstation_code": "W01", "numbers": "138"}]},
    ],
)
def test_a_malformed_numbers_dataset_is_a_type_error(body):
    with pytest.raises(TypeError):
        parse_blocks(body)


def test_only_a_mobile_new_line_uses_the_pool():
    keys = ["service", "new_number"]
    assert uses_pool("add_line", keys, {"service": "mobile"})
    assert uses_pool("add_line", keys, {"service": "mobile_secondary"})
    assert uses_pool("add_line", keys, {})  # the catalogue's default service is mobile
    assert not uses_pool("add_line", keys, {"service": "fixed"})
    assert not uses_pool("add_line", keys, {"service": "broadband"})
    assert not uses_pool("change_number", keys, {"service": "mobile"})
    assert not uses_pool("add_line", ["service"], {"service": "mobile"})
