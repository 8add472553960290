"""一证通查 (Anti-Telecom-Fraud Law 2022): an ID's numbers across every operator.

Head office answers this operator's count from its own billing data
(:func:`accounts.count_numbers`) and asks the national service for the other operators'
counts through :class:`NationalNumberCheck`, so a real connection is one adapter. The
:class:`SimulatedNationalCheck` answers from ``ho_national_sim`` (rows a test or a demo
puts there), and zero for an ID it has no row for.
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import Connection, text


class NationalNumberCheck(Protocol):
    """The national 一证通查 service: numbers held under an ID at the *other* operators."""

    name: str

    def other_operators(self, conn: Connection, id_hash: str) -> dict[str, int]:
        """Operator code → open numbers; raises ``ConnectionError`` when unreachable."""
        ...


class SimulatedNationalCheck:
    """Stands in for the national service (demo, tests, a head office without the link)."""

    name = "simulator"

    def other_operators(self, conn: Connection, id_hash: str) -> dict[str, int]:
        rows = conn.execute(
            text("SELECT operator, numbers FROM ho_national_sim WHERE id_hash = :h"),
            {"h": id_hash},
        ).all()
        return {str(op): int(n) for op, n in rows}


def count_all_operators(
    conn: Connection, id_hash: str, national: NationalNumberCheck
) -> dict[str, object]:
    """This operator's count (own data) + the others' (national service), and the total."""
    from .accounts import count_numbers

    own = count_numbers(conn, id_hash)
    others = national.other_operators(conn, id_hash)
    return {
        "this_operator": own,
        "other_operators": others,
        "total": own + sum(others.values()),
        "source": national.name,
    }
