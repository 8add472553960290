"""Demo data: staff with known passwords, customers that match the reader simulator.

For trying the app and for tests — never loaded on a production workstation unless
IT asks for it. The demo customers' ID numbers are those the simulator's named cards
carry today (:func:`frontdesk.devices.id_reader.demo_card`), so reading "zhang_san" on
the simulated reader finds 张三 with his two numbers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from ..core.clock import business_date
from ..core.ids import DocType, credit_check_char, mask_id_number, normalise_number
from ..devices.id_reader import demo_card
from ..store import audit
from ..store.crypto import sealed_at
from ..store.models import Customer, Line, Role, Staff, new_id
from ..store.personal import seal_birth_date
from .auth import hash_password
from .numbers import load_numbers
from .workstation import Workstation

DEMO_UNIT_CREDIT_BODY = "91110105MA01ABCD1"
DEMO_UNIT_CREDIT_CODE = DEMO_UNIT_CREDIT_BODY + credit_check_char(DEMO_UNIT_CREDIT_BODY)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    display_name: str
    role: Role
    password: str
    must_change_password: bool = False


DEMO_STAFF = (
    DemoAccount("clerk01", "王小丽", Role.CLERK, "Counter2026"),
    DemoAccount("clerk02", "李明", Role.CLERK, "Counter2026b"),
    DemoAccount("manager01", "赵经理", Role.MANAGER, "Manager2026"),
    DemoAccount("it01", "孙工", Role.IT_ADMIN, "ItAdmin2026"),
    DemoAccount("newclerk", "新员工", Role.CLERK, "Welcome2026", must_change_password=True),
)


def demo_pool() -> list[str]:
    """The demo counter's number resources: two ordinary runs of a 138 and a 139 block,
    a 186 block, and a few "pretty" numbers (靓号) to find by their tail in the picker."""
    runs = [f"1381234{n:04d}" for n in range(5670, 5700)]
    runs += [f"1391234{n:04d}" for n in range(5670, 5690)]
    runs += [f"1860101{n:04d}" for n in range(2000, 2030)]
    runs += ["13812340001", "18601016666", "18601018888", "18601019999", "15601018888"]
    return runs


def load_demo_data(ws: Workstation) -> list[DemoAccount]:
    """Add demo staff and customers (once); returns the staff accounts with passwords."""
    today = business_date(ws.clock.now())
    now = ws.clock.now()
    branch = ws.config.workstation.branch_code
    with ws.db.unit_of_work() as uow:
        s = uow.session
        if s.scalar(select(Staff.id).where(Staff.username == "clerk01")) is not None:
            return list(DEMO_STAFF)
        for account in DEMO_STAFF:
            s.add(
                Staff(
                    username=account.username,
                    display_name=account.display_name,
                    role=account.role.value,
                    branch_code=branch,
                    password_hash=hash_password(account.password),
                    must_change_password=account.must_change_password,
                    source="demo",
                )
            )

        def person(key: str, tier: str, phone: str) -> Customer:
            card = demo_card(key, today=today)
            doc_type = DocType(card.doc_kind)
            number = normalise_number(doc_type, card.id_number)
            cid = new_id()
            customer = Customer(
                id=cid,
                kind="person",
                name=card.name,
                doc_type=str(doc_type),
                id_hash=ws.vault.lookup_hash(f"{doc_type}:{number}"),
                id_number_enc=ws.vault.seal(number, sealed_at("customer", "id_number_enc", cid)),
                id_masked=mask_id_number(number),
                birth_date_enc=seal_birth_date(ws.vault, card.birth_date, "customer", cid),
                contact_phone=phone,
                tier=tier,
                state_source="cache",
                state_as_of=now,
            )
            s.add(customer)
            s.flush()
            return customer

        def line(customer: Customer, number: str, mode: str, **state: object) -> None:
            s.add(
                Line(
                    customer_id=customer.id,
                    number=number,
                    payment_mode=mode,
                    opened_on=today - dt.timedelta(days=800),
                    state_as_of=now,
                    **state,
                )
            )

        zhang = person("zhang_san", "gold", "13800138000")
        line(zhang, "13800138000", "prepaid", plan_code="mob_59", balance_fen=5_000)
        line(
            zhang,
            "13900139000",
            "postpaid",
            plan_code="mob_129",
            arrears_fen=12_800,
            contract_lock_until=today + dt.timedelta(days=200),
        )
        zhang.numbers_with_operator = 2

        liu = person("long_term", "diamond", "13700137000")
        line(
            liu,
            "13700137000",
            "postpaid",
            plan_code="bundle_199",
            pretty_number_lock=True,
            deposit_fen=20_000,
        )
        line(liu, "13700137001", "postpaid", plan_code="mob_129", status="suspended")
        liu.numbers_with_operator = 2

        chen = person("hmt_resident", "standard", "13600136000")
        line(chen, "13600136000", "prepaid", plan_code="mob_59", balance_fen=1_250)
        chen.numbers_with_operator = 1

        unit_id = new_id()
        unit = Customer(
            id=unit_id,
            kind="unit",
            name="北京示例科技有限公司",
            doc_type=str(DocType.UNIFIED_SOCIAL_CREDIT_CODE),
            id_hash=ws.vault.lookup_hash(
                f"{DocType.UNIFIED_SOCIAL_CREDIT_CODE}:{DEMO_UNIT_CREDIT_CODE}"
            ),
            id_number_enc=ws.vault.seal(
                DEMO_UNIT_CREDIT_CODE, sealed_at("customer", "id_number_enc", unit_id)
            ),
            id_masked=DEMO_UNIT_CREDIT_CODE,
            contact_phone="13500135000",
            tier="standard",
            state_source="cache",
            state_as_of=now,
        )
        s.add(unit)
        s.flush()
        line(unit, "13500135000", "postpaid", plan_code="bundle_199")
        line(unit, "13500135001", "postpaid", plan_code="mob_129", balance_fen=30_000)
        unit.numbers_with_operator = 2
        load_numbers(s, demo_pool(), source="demo")  # 号码资源: numbers to offer for 入网
        audit.record(
            s,
            actor_id=None,
            action="demo.loaded",
            object_type="workstation",
            detail={"staff": len(DEMO_STAFF), "customers": 4},
        )
        uow.commit()
    return list(DEMO_STAFF)
