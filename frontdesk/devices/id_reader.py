"""ID-card (二代证) reader interface, the card data it returns, and a simulator.

The counter never types an identity in: a reader fills it (SPEC §2 step 1). Vendor SDKs
differ, so the application talks to the small :class:`IdCardReader` protocol and each SDK
gets an adapter (see :mod:`frontdesk.devices.termb`). The simulator stands in for the
hardware in demos, training and tests and copies the real readers' quirks that the GUI has
to cope with — above all that a card must be lifted off the reader between two reads.

This module returns what the card says; it does not judge it. Expiry, age, region code
and check-digit *checks* belong to the core's verification step. The check digit is
computed here only so that the simulator's demo cards are realistic.

Nothing here imports Qt or SQLAlchemy: the GUI polls readers from a worker thread.
"""

from __future__ import annotations

import dataclasses
import functools
import struct
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal, Protocol, runtime_checkable

from frontdesk.core.ids import mask_id_number, mask_name, mod11_2_check
from frontdesk.devices.errors import DeviceError

__all__ = [
    "ETHNIC_GROUPS",
    "CardRead",
    "DeviceUnavailableError",
    "DocKind",
    "IdCardReader",
    "NoCardError",
    "ReadFailedError",
    "ReaderError",
    "SimulatedIdCardReader",
    "demo_card",
    "demo_person_names",
    "doc_kind_for_id_number",
    "ethnicity_code_for",
    "gb11643_check_digit",
    "mask_id_number",
    "mask_name",
]

DocKind = Literal["resident_id", "hmt_residence_permit", "foreign_permanent_resident"]
_DOC_KINDS: frozenset[str] = frozenset(
    {"resident_id", "hmt_residence_permit", "foreign_permanent_resident"}
)

#: GB 3304 ethnic group codes → the name as printed on the card (the card omits "族").
#: 97/98 are GB 3304's "other" and "foreign-born Chinese citizen" entries.
ETHNIC_GROUPS: dict[str, str] = {
    "01": "汉",
    "02": "蒙古",
    "03": "回",
    "04": "藏",
    "05": "维吾尔",
    "06": "苗",
    "07": "彝",
    "08": "壮",
    "09": "布依",
    "10": "朝鲜",
    "11": "满",
    "12": "侗",
    "13": "瑶",
    "14": "白",
    "15": "土家",
    "16": "哈尼",
    "17": "哈萨克",
    "18": "傣",
    "19": "黎",
    "20": "傈僳",
    "21": "佤",
    "22": "畲",
    "23": "高山",
    "24": "拉祜",
    "25": "水",
    "26": "东乡",
    "27": "纳西",
    "28": "景颇",
    "29": "柯尔克孜",
    "30": "土",
    "31": "达斡尔",
    "32": "仫佬",
    "33": "羌",
    "34": "布朗",
    "35": "撒拉",
    "36": "毛南",
    "37": "仡佬",
    "38": "锡伯",
    "39": "阿昌",
    "40": "普米",
    "41": "塔吉克",
    "42": "怒",
    "43": "乌孜别克",
    "44": "俄罗斯",
    "45": "鄂温克",
    "46": "德昂",
    "47": "保安",
    "48": "裕固",
    "49": "京",
    "50": "塔塔尔",
    "51": "独龙",
    "52": "鄂伦春",
    "53": "赫哲",
    "54": "门巴",
    "55": "珞巴",
    "56": "基诺",
    "97": "其他",
    "98": "外国血统中国籍人士",
}
_ETHNIC_CODE_BY_NAME: dict[str, str] = {name: code for code, name in ETHNIC_GROUPS.items()}

_SEX_CODES: dict[str, Literal["M", "F"]] = {"男": "M", "女": "F"}

#: Size in pixels of the photo the vendor library decodes from the chip (width, height).
PHOTO_SIZE: tuple[int, int] = (102, 126)


# --------------------------------------------------------------------------- helpers


def gb11643_check_digit(first17: str) -> str:
    """The GB 11643 MOD 11-2 check character for the first 17 digits of an ID number.

    The simulator needs it to build cards that pass the core's checks; the arithmetic
    is the core's own (:func:`frontdesk.core.ids.mod11_2_check`), one place for the rule.
    """
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError("GB 11643 needs exactly 17 leading digits")
    return mod11_2_check(first17)


def doc_kind_for_id_number(id_number: str) -> DocKind:
    """Tell which document a number read by a 二代证 reader belongs to.

    All three documents come through the same reader and the same SDK calls; the number is
    what tells them apart: 港澳台居民居住证 numbers start with 810000 / 820000 / 830000, the
    2023 外国人永久居留身份证 is 18 characters starting with 9, the 2017 one is 15 characters
    starting with three letters (the nationality code).
    """
    n = id_number.strip().upper()
    if len(n) == 18 and n[:6] in {"810000", "820000", "830000"}:
        return "hmt_residence_permit"
    if len(n) == 18 and n.startswith("9"):
        return "foreign_permanent_resident"
    if len(n) == 15 and n[:3].isalpha():
        return "foreign_permanent_resident"
    return "resident_id"


def ethnicity_code_for(value: str) -> str:
    """Normalise what a reader SDK returns for ethnicity to a GB 3304 code.

    Vendors differ: some return the code ("01" or "1"), some the name ("汉" or "汉族").
    Returns ``""`` for an empty value (permits and foreigners' cards carry none) and raises
    ``ValueError`` for anything unrecognisable rather than guessing.
    """
    v = value.strip()
    if not v:
        return ""
    if v.isdigit():
        code = v.zfill(2)
        if code in ETHNIC_GROUPS:
            return code
    else:
        name = v.removesuffix("族") if v not in _ETHNIC_CODE_BY_NAME else v
        if name in _ETHNIC_CODE_BY_NAME:
            return _ETHNIC_CODE_BY_NAME[name]
    raise ValueError("unrecognised ethnicity value from reader")


def _add_years(d: date, years: int) -> date:
    """Shift a date by whole years; 29 February falls back to 28 February."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


# ------------------------------------------------------------------------------ data


@dataclass(frozen=True, repr=False)
class CardRead:
    """One read of an ID card, exactly as the reader returned it (not yet verified).

    ``valid_to`` is ``None`` when the card says 长期 (``long_term`` is then true).
    ``ethnicity_code`` is the GB 3304 code ("01" = 汉); it is empty on residence permits and
    foreigners' cards, which carry no ethnicity (foreigners' cards carry ``nationality``,
    an ISO 3166 alpha-3 code, instead).

    ``repr()`` masks the number, the name and the address: these objects travel through
    worker threads and exception handlers, and SPEC §6 forbids personal data in logs.
    """

    name: str
    sex: Literal["男", "女"]
    ethnicity_code: str
    birth_date: date
    address: str
    id_number: str
    issuing_authority: str
    valid_from: date
    valid_to: date | None
    long_term: bool
    photo_bmp: bytes | None
    doc_kind: DocKind
    read_at: datetime = field(default_factory=datetime.now)
    nationality: str | None = None

    def __post_init__(self) -> None:
        if self.sex not in _SEX_CODES:
            raise ValueError("sex must be 男 or 女 as printed on the card")
        if self.doc_kind not in _DOC_KINDS:
            raise ValueError(f"unknown doc_kind {self.doc_kind!r}")
        if self.long_term != (self.valid_to is None):
            raise ValueError("valid_to must be None exactly when the card says 长期")
        if self.ethnicity_code and self.ethnicity_code not in ETHNIC_GROUPS:
            raise ValueError(f"unknown GB 3304 ethnicity code {self.ethnicity_code!r}")

    @property
    def sex_code(self) -> Literal["M", "F"]:
        """Sex normalised to ``"M"`` / ``"F"`` for storage and head-office sync."""
        return _SEX_CODES[self.sex]

    @property
    def ethnicity(self) -> str:
        """Ethnic group name as printed on the card (``"汉"``), or ``""`` if none."""
        return ETHNIC_GROUPS.get(self.ethnicity_code, "")

    @property
    def id_number_masked(self) -> str:
        """The document number masked for display (``110105********002X``)."""
        return mask_id_number(self.id_number)

    def __repr__(self) -> str:
        validity = "长期" if self.long_term else str(self.valid_to)
        photo = "none" if self.photo_bmp is None else f"{len(self.photo_bmp)}B"
        return (
            f"CardRead(doc_kind={self.doc_kind!r}, name={mask_name(self.name)!r}, "
            f"sex={self.sex_code!r}, id_number={self.id_number_masked!r}, "
            f"address='***', valid_to={validity!r}, photo={photo}, "
            f"read_at={self.read_at.isoformat(timespec='seconds')!r})"
        )

    __str__ = __repr__


# ---------------------------------------------------------------------------- errors


class ReaderError(DeviceError):
    """The ID-card reader could not deliver a card read."""


class NoCardError(ReaderError):
    """No card on the reader, or the card last read has not been lifted off since."""

    def __init__(
        self,
        code: str = "no_card",
        message_zh: str = "未检测到证件，请将证件平放在读卡器上。",
        message_en: str = "No card on the reader. Place the card flat on the reader.",
        *,
        vendor_rc: int | None = None,
    ) -> None:
        super().__init__(code, message_zh, message_en, vendor_rc=vendor_rc)


class ReadFailedError(ReaderError):
    """The card was found but authentication or reading its chip failed."""

    def __init__(
        self,
        code: str = "read_failed",
        message_zh: str = "读卡失败，请拿起证件后重新放置再读。",
        message_en: str = "Reading the card failed. Lift the card, place it again and retry.",
        *,
        vendor_rc: int | None = None,
    ) -> None:
        super().__init__(code, message_zh, message_en, vendor_rc=vendor_rc)


class DeviceUnavailableError(ReaderError):
    """The reader cannot be reached: port not openable, library missing, not opened."""

    def __init__(
        self,
        code: str = "device_unavailable",
        message_zh: str = "无法连接读卡器，请检查读卡器连接和端口设置。",
        message_en: str = "Cannot reach the ID-card reader. Check its cable and port setting.",
        *,
        vendor_rc: int | None = None,
    ) -> None:
        super().__init__(code, message_zh, message_en, vendor_rc=vendor_rc)


def _card_not_lifted() -> NoCardError:
    return NoCardError(
        "card_not_lifted",
        "该证件已读取，请拿起证件后重新放置。",
        "This card was already read. Lift it off the reader and place it again.",
    )


# -------------------------------------------------------------------------- protocol


@runtime_checkable
class IdCardReader(Protocol):
    """What the counter needs from any 二代证 reader (simulator or vendor adapter).

    ``read`` waits up to ``timeout_s`` for a card and returns it, or raises a
    :class:`ReaderError` subclass; it is blocking and meant for a worker thread.
    """

    name: str
    is_simulator: bool

    def open(self) -> None: ...

    def close(self) -> None: ...

    def read(self, timeout_s: float = 5.0) -> CardRead: ...


# ------------------------------------------------------------------------ demo cards


@functools.lru_cache(maxsize=16)
def _placeholder_photo_bmp(shade: int) -> bytes:
    """A 102×126 24-bit BMP head-and-shoulders silhouette, like the vendor's zp.bmp.

    Written by hand (no imaging library) so the device layer has no extra dependency.
    ``shade`` varies the figure a little between demo persons.
    """
    width, height = PHOTO_SIZE
    row_size = (width * 3 + 3) & ~3
    background = (0xF0, 0xE6, 0xD8)  # BGR: the pale blue-white of ID photos
    figure = (0x50 + shade % 60, 0x50 + shade % 60, 0x58 + shade % 60)
    rows = []
    for y_up in range(height):
        y = height - 1 - y_up  # BMP rows are stored bottom-up
        row = bytearray()
        for x in range(width):
            head = ((x - 51) / 22) ** 2 + ((y - 45) / 28) ** 2 <= 1.0
            shoulders = y >= 85 and ((x - 51) / 48) ** 2 + ((y - 126) / 40) ** 2 <= 1.0
            row += bytes(figure if head or shoulders else background)
        row += b"\x00" * (row_size - width * 3)
        rows.append(bytes(row))
    pixels = b"".join(rows)
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, len(pixels), 2835, 2835, 0, 0)
    header = struct.pack("<2sIHHI", b"BM", 14 + len(info) + len(pixels), 0, 0, 14 + len(info))
    return header + info + pixels


@dataclass(frozen=True)
class _DemoPerson:
    name: str
    sex: Literal["男", "女"]
    ethnicity_code: str
    address: str
    issuing_authority: str
    number_prefix: str  # region code (or 9 + province + nationality for foreigners)
    sequence: str  # 3 digits; the last one is odd for men, even for women
    age_years: int
    days_past_birthday: int
    issued_years_ago: int
    issued_days_extra: int
    validity_years: int | None  # None = 长期
    doc_kind: DocKind
    nationality: str | None = None


_DEMO_PEOPLE: dict[str, _DemoPerson] = {
    "zhang_san": _DemoPerson(
        "张三", "男", "01", "北京市朝阳区建国路88号院3号楼2单元501",
        "北京市公安局朝阳分局", "110105", "013", 35, 40, 3, 20, 20, "resident_id",
    ),
    "minor": _DemoPerson(
        "李小明", "男", "01", "广东省深圳市南山区科技园路1号", "深圳市公安局南山分局",
        "440305", "025", 15, 100, 1, 10, 5, "resident_id",
    ),
    "expired": _DemoPerson(
        "王芳", "女", "03", "上海市浦东新区世纪大道100号", "上海市公安局浦东分局",
        "310115", "048", 30, 10, 10, 200, 10, "resident_id",
    ),
    "long_term": _DemoPerson(
        "刘建国", "男", "11", "江苏省南京市玄武区中山路18号", "南京市公安局玄武分局",
        "320102", "031", 60, 50, 8, 0, None, "resident_id",
    ),
    "hmt_resident": _DemoPerson(
        "陈大文", "男", "", "广东省深圳市福田区福华三路100号", "深圳市公安局福田分局",
        "810000", "017", 40, 70, 2, 0, 5, "hmt_residence_permit",
    ),
    "foreigner_2023": _DemoPerson(
        "SMITH, JOHN", "男", "", "", "国家移民管理局",
        "911840", "005", 45, 120, 1, 30, 10, "foreign_permanent_resident", "USA",
    ),
}  # fmt: skip


def demo_person_names() -> list[str]:
    """Names of the built-in demo persons, for the simulator's pick list."""
    return list(_DEMO_PEOPLE)


def demo_card(person: str, *, today: date | None = None) -> CardRead:
    """Build a realistic card for a named demo person, with dates relative to ``today``.

    Relative dates keep the personas true forever: "minor" is always 15, "expired" always
    ran out about 200 days ago, "long_term" is always 60 with a 长期 card.
    """
    try:
        p = _DEMO_PEOPLE[person]
    except KeyError:
        raise ValueError(
            f"unknown demo person {person!r}; choose one of {', '.join(_DEMO_PEOPLE)}"
        ) from None
    today = today or date.today()
    birth = _add_years(today, -p.age_years) - timedelta(days=p.days_past_birthday)
    valid_from = _add_years(today, -p.issued_years_ago) - timedelta(days=p.issued_days_extra)
    valid_to = None if p.validity_years is None else _add_years(valid_from, p.validity_years)
    first17 = p.number_prefix + birth.strftime("%Y%m%d") + p.sequence
    return CardRead(
        name=p.name,
        sex=p.sex,
        ethnicity_code=p.ethnicity_code,
        birth_date=birth,
        address=p.address,
        id_number=first17 + gb11643_check_digit(first17),
        issuing_authority=p.issuing_authority,
        valid_from=valid_from,
        valid_to=valid_to,
        long_term=valid_to is None,
        photo_bmp=_placeholder_photo_bmp(sum(map(ord, p.name))),
        doc_kind=p.doc_kind,
        nationality=p.nationality,
    )


# ------------------------------------------------------------------------- simulator

SimulatorScenario = Literal["card", "read_failure", "no_card", "expired", "glitch", "unavailable"]


class SimulatedIdCardReader:
    """A reader without hardware: presents a chosen card and can misbehave on purpose.

    It keeps the real readers' rule that a card must be lifted off the reader between two
    reads — a second ``read()`` of the same card raises :class:`NoCardError` until
    :meth:`lift` (customer lifts and puts the card back) or :meth:`place` (another card).
    :meth:`remove` takes the card away. Failures are raised immediately instead of after
    ``timeout_s``, so tests and demos do not wait.
    """

    is_simulator: bool = True

    def __init__(
        self,
        card: CardRead | str | None = "zhang_san",
        *,
        today: date | None = None,
        fail_with: ReaderError | None = None,
        glitches: int = 0,
        unavailable: bool = False,
        name: str = "模拟读卡器 (simulator)",
    ) -> None:
        self.name = name
        self._today = today
        self._card: CardRead | None = self._resolve(card)
        self._armed = self._card is not None
        self._fail_with = fail_with
        self._glitches_left = glitches
        self._unavailable = unavailable
        self._open = False

    @classmethod
    def scenario(
        cls, scenario: SimulatorScenario, *, person: str = "zhang_san", today: date | None = None
    ) -> SimulatedIdCardReader:
        """Build a simulator for one of the named scenarios the GUI and tests use.

        ``card``: ``person`` reads fine; ``read_failure``: every read fails to authenticate;
        ``no_card``: nothing on the reader; ``expired``: an expired card reads fine (judging
        it is the core's job); ``glitch``: one failed read, then success; ``unavailable``:
        the port cannot be opened.
        """
        if scenario == "card":
            return cls(person, today=today)
        if scenario == "read_failure":
            return cls(person, today=today, fail_with=ReadFailedError())
        if scenario == "no_card":
            return cls(None, today=today)
        if scenario == "expired":
            return cls("expired", today=today)
        if scenario == "glitch":
            return cls(person, today=today, glitches=1)
        if scenario == "unavailable":
            return cls(person, today=today, unavailable=True)
        raise ValueError(f"unknown simulator scenario {scenario!r}")

    def _resolve(self, card: CardRead | str | None) -> CardRead | None:
        if isinstance(card, str):
            return demo_card(card, today=self._today)
        return card

    # -- IdCardReader -------------------------------------------------------------
    def open(self) -> None:
        if self._unavailable:
            raise DeviceUnavailableError(
                "port_unavailable",
                "无法打开读卡器端口（模拟），请检查读卡器连接。",
                "Cannot open the reader port (simulated). Check the reader's connection.",
            )
        self._open = True

    def close(self) -> None:
        self._open = False

    def read(self, timeout_s: float = 5.0) -> CardRead:
        if not self._open:
            raise DeviceUnavailableError(
                "not_open", "读卡器未打开。", "The reader has not been opened."
            )
        if self._card is None:
            raise NoCardError()
        if not self._armed:
            raise _card_not_lifted()
        if self._fail_with is not None:
            raise self._fail_with
        if self._glitches_left > 0:
            self._glitches_left -= 1
            raise ReadFailedError()
        self._armed = False
        return dataclasses.replace(self._card, read_at=datetime.now())

    # -- what the person at the counter does -----------------------------------------
    def place(self, card: CardRead | str) -> None:
        """Put a card (a :class:`CardRead` or a demo person's name) on the reader."""
        self._card = self._resolve(card)
        self._armed = True

    def lift(self) -> None:
        """Lift the card off the reader and put it back, so it can be read again."""
        self._armed = self._card is not None

    def remove(self) -> None:
        """Take the card away: reads report "no card" until another :meth:`place`."""
        self._card = None
        self._armed = False

    def __enter__(self) -> SimulatedIdCardReader:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
