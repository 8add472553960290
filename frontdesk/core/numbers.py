"""Number resources (号码资源) and choosing a new mobile number (选号): the pure rules.

Head office assigns blocks of mobile numbers to a branch, one block per workstation, so
two counters never offer the same number (docs/decisions.md, "Number pool"). A counter
offers only numbers of its own blocks; a number is free, held by one open or suspended
visit, or used by a settled 入网. This module knows the shape of a published block, the
check of every number in it and the tail filter of the picker; the states live in
``services/numbers.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .messages import Problem, define, define_field, error
from .serials import check_mobile_number

#: The 入网 services whose number comes from the pool (fixed lines and broadband carry
#: an area-code number that is allocated with the installation, not at the counter).
POOL_SERVICES = frozenset({"mobile", "mobile_secondary"})
NUMBER_FIELD = "new_number"
FREE, HELD, USED = "free", "held", "used"
STATES = (FREE, HELD, USED)
#: At most this many numbers in one published block (a branch's counter gets hundreds).
MAX_BLOCK = 20_000

define_field("number_block", zh="号码资源", en="Number resources")
define_field(NUMBER_FIELD, zh="新号码", en="New number")  # the 入网 form's label
define(
    "numbers.not_in_pool",
    zh="{field}“{number}”不在本工位的号码资源中，请按 ↓ 从号码池选号。",
    en="{field} {number} is not among this counter's number resources; "
    "press Down to choose one from the pool.",
)
define(
    "numbers.not_free",
    zh="{field}“{number}”已被其他受理单占用或已开户，请按 ↓ 另选一个空闲号码。",
    en="{field} {number} is already held by another slip or in use; "
    "press Down to choose another free number.",
)
define(
    "numbers.pool_exhausted",
    zh="{field}：本工位的号码资源已全部占用，请联系 IT 向总部申请新的号段。",
    en="{field}: every number of this counter's resources is taken; "
    "please ask IT to request a new block from head office.",
)
define(
    "numbers.bad_number",
    zh="{field}中的“{number}”不是有效的手机号码（应为11位，以13至19开头），整批号码未发布，"
    "请更正后重试。",
    en="{field}: {number} is not a valid mobile number (11 digits starting 13 to 19); "
    "nothing was published, please correct it and try again.",
)
define(
    "numbers.duplicate",
    zh="{field}中的号码“{number}”重复出现，整批号码未发布，请去掉重复后重试。",
    en="{field}: number {number} appears twice; nothing was published, "
    "please remove the duplicate and try again.",
)
define(
    "numbers.assigned_elsewhere",
    zh="{field}中的号码“{number}”已分配给 {owner}，同一号码不能同时分给两个工位。",
    en="{field}: number {number} is already assigned to {owner}; "
    "a number is never given to two counters at once.",
)
define(
    "numbers.empty_block",
    zh="{field}：这一批没有号码，请至少给出一个号码。",
    en="{field}: the block holds no numbers; please give at least one.",
)
define(
    "numbers.bad_dataset",
    zh='{field}的格式不对（{detail}），未发布。格式：{{"blocks": [{{"branch_code", '
    '"workstation_code", "numbers": [...]}}]}}。',
    en="{field} is not in the expected shape ({detail}); nothing was published. Shape: "
    '{{"blocks": [{{"branch_code", "workstation_code", "numbers": [...]}}]}}.',
)
define(
    "numbers.block_too_large",
    zh="{field}：一批最多 {max} 个号码，请分批发布。",
    en="{field}: at most {max} numbers per block; please publish it in parts.",
)


@dataclass(frozen=True)
class Block:
    """One workstation's numbers, as head office publishes them."""

    branch_code: str
    workstation_code: str
    numbers: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "branch_code": self.branch_code,
            "workstation_code": self.workstation_code,
            "numbers": list(self.numbers),
        }


def check_numbers(
    raw: Iterable[object], field: str = "number_block"
) -> tuple[list[str], list[Problem]]:
    """Every number of a block checked (11-digit mobile of a valid prefix, no repeats).

    Returns the normalised numbers and the problems; any problem means the block is
    refused whole (a half-applied block would offer numbers nobody checked).
    """
    numbers: list[str] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for value in raw:
        checked = check_mobile_number(value, field)
        if not checked.ok or checked.value is None:
            problems.append(error("numbers.bad_number", field, number=str(value)[:20]))
            continue
        if checked.value in seen:
            problems.append(error("numbers.duplicate", field, number=checked.value))
            continue
        seen.add(checked.value)
        numbers.append(checked.value)
    if not numbers and not problems:
        problems.append(error("numbers.empty_block", field))
    if len(numbers) > MAX_BLOCK:
        problems.append(error("numbers.block_too_large", field, max=MAX_BLOCK))
    return numbers, problems


def parse_blocks(body: Mapping[str, Any]) -> tuple[list[Block], list[Problem]]:
    """The blocks of a ``numbers`` dataset, each number checked; a number in two
    blocks (two counters) is a problem too."""
    raw_blocks = body.get("blocks")
    if not isinstance(raw_blocks, list):
        raise TypeError("a numbers dataset has a list 'blocks'")
    blocks: list[Block] = []
    problems: list[Problem] = []
    owner: dict[str, str] = {}
    for raw in raw_blocks:
        if not isinstance(raw, Mapping):
            raise TypeError("each block is an object")
        branch = str(raw.get("branch_code") or "")
        workstation = str(raw.get("workstation_code") or "")
        if not branch or not workstation:
            raise TypeError("each block names its branch_code and workstation_code")
        listed = raw.get("numbers")
        if not isinstance(listed, list):
            raise TypeError("each block has a list 'numbers'")
        numbers, found = check_numbers(listed)
        problems.extend(found)
        here = f"{branch}/{workstation}"
        for number in numbers:
            if owner.get(number, here) != here:
                problems.append(
                    error(
                        "numbers.assigned_elsewhere",
                        "number_block",
                        number=number,
                        owner=owner[number],
                    )
                )
            owner[number] = here
        blocks.append(Block(branch, workstation, tuple(numbers)))
    return blocks, problems


def uses_pool(
    account_effect: str | None, field_keys: Iterable[str], values: Mapping[str, Any]
) -> bool:
    """Does this business take its new number from the pool? 入网 of a mobile service."""
    if account_effect != "add_line" or NUMBER_FIELD not in set(field_keys):
        return False
    return str(values.get("service") or "mobile") in POOL_SERVICES


def tail_digits(text: str) -> str:
    """What the clerk typed into the picker, as digits (spaces and dashes dropped)."""
    return "".join(ch for ch in text if ch.isascii() and ch.isdigit())


def matches_tail(number: str, typed: str) -> bool:
    """The picker's filter: the number ends with the digits typed (8888 → …8888)."""
    return number.endswith(tail_digits(typed))


def filter_by_tail(numbers: Iterable[str], typed: str) -> list[str]:
    return [n for n in numbers if matches_tail(n, typed)]
