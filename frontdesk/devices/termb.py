"""Adapter for termb-style 二代证 reader SDKs (termb.dll on Windows, libtermb.so on Linux).

Most counter readers ship a vendor library with the same shape: open a port with
``InitComm(port)`` (1–16 serial, 1001–1016 USB), find the card with ``Authenticate()``,
read it with ``Read_Content(1)`` (1 = text + photo), then fetch each field with a getter,
and ``CloseComm()``. The photo is decoded by the vendor into a ``zp.bmp`` file (102×126).

The export names and getter signatures differ between vendors, so they are data
(:class:`TermbDialect`), picked by looking at which symbols the library exports:

``termb``   ``int GetName(char *buf)`` — caller's buffer, no length (GetPeople = ethnicity,
            GetBirthday, GetDepartment = issuing authority).
``cvr``     华视 (Chinavision) CVR SDKs: ``CVR_InitComm`` …, getters
            ``int GetPeopleName(unsigned char *buf, int *len)``.
``sdses``   神思 (SDSES) SDKs: ``char *GetName(void)`` returning the library's own buffer
            (GetNation, GetBornDate, GetSignGov = issuing authority).

All getters return 1 on success. Text is GBK on Windows builds; it is decoded as GB18030,
a strict superset of GBK, so rare characters in names (生僻字) survive too.

Vendor libraries are process-global and not thread-safe: every call goes through one lock,
and a process should use one reader object per library.
"""

from __future__ import annotations

import ctypes
import os
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from frontdesk.devices.id_reader import (
    CardRead,
    DeviceUnavailableError,
    NoCardError,
    ReaderError,
    ReadFailedError,
    doc_kind_for_id_number,
    ethnicity_code_for,
)

__all__ = ["DIALECTS", "TermbDialect", "TermbIdCardReader", "valid_port"]

GetterStyle = Literal["buffer", "buffer_len", "return_ptr"]

#: The card fields every dialect must provide a getter for.
FIELDS: tuple[str, ...] = (
    "name",
    "sex",
    "ethnicity",
    "birth_date",
    "address",
    "id_number",
    "issuing_authority",
    "valid_from",
    "valid_to",
)

_BUFFER_SIZE = 4096  # "buffer" getters take no length; be generous against overruns
_LONG_TERM = "长期"
_PHOTO_FILE = "zp.bmp"


@dataclass(frozen=True)
class TermbDialect:
    """Export names and getter calling style of one vendor family."""

    key: str
    init: str
    authenticate: str
    read_content: str
    close: str
    getter_style: GetterStyle
    getters: Mapping[str, str]
    read_active: int = 1  # Read_Content argument: 1 = text + photo

    def exports(self) -> tuple[str, ...]:
        return (self.init, self.authenticate, self.read_content, self.close, *self.getters.values())


DIALECTS: dict[str, TermbDialect] = {
    d.key: d
    for d in (
        TermbDialect(
            key="cvr",
            init="CVR_InitComm",
            authenticate="CVR_Authenticate",
            read_content="CVR_Read_Content",
            close="CVR_CloseComm",
            getter_style="buffer_len",
            getters={
                "name": "GetPeopleName",
                "sex": "GetPeopleSex",
                "ethnicity": "GetPeopleNation",
                "birth_date": "GetPeopleBirthday",
                "address": "GetPeopleAddress",
                "id_number": "GetPeopleIDCode",
                "issuing_authority": "GetDepartment",
                "valid_from": "GetStartDate",
                "valid_to": "GetEndDate",
            },
        ),
        TermbDialect(
            key="termb",
            init="InitComm",
            authenticate="Authenticate",
            read_content="Read_Content",
            close="CloseComm",
            getter_style="buffer",
            getters={
                "name": "GetName",
                "sex": "GetSex",
                "ethnicity": "GetPeople",
                "birth_date": "GetBirthday",
                "address": "GetAddress",
                "id_number": "GetIDNo",
                "issuing_authority": "GetDepartment",
                "valid_from": "GetStartDate",
                "valid_to": "GetEndDate",
            },
        ),
        TermbDialect(
            key="sdses",
            init="InitComm",
            authenticate="Authenticate",
            read_content="Read_Content",
            close="CloseComm",
            getter_style="return_ptr",
            getters={
                "name": "GetName",
                "sex": "GetSex",
                "ethnicity": "GetNation",
                "birth_date": "GetBornDate",
                "address": "GetAddress",
                "id_number": "GetIDNo",
                "issuing_authority": "GetSignGov",
                "valid_from": "GetStartDate",
                "valid_to": "GetEndDate",
            },
        ),
    )
}


def valid_port(port: int) -> bool:
    """Ports the termb API accepts: 1–16 serial (COM1–COM16), 1001–1016 USB."""
    return 1 <= port <= 16 or 1001 <= port <= 1016


def _has_export(lib: ctypes.CDLL, symbol: str) -> bool:
    try:
        getattr(lib, symbol)
    except AttributeError:
        return False
    return True


def _load_library(path: str) -> ctypes.CDLL:
    """Load the vendor library with its calling convention (stdcall on Windows)."""
    loader: Callable[[str], ctypes.CDLL] = ctypes.WinDLL if os.name == "nt" else ctypes.CDLL  # type: ignore[attr-defined]
    return loader(path)


# Return codes. All families: 1 = success. For Authenticate, 华视 documents 2 = card not
# found, 3 = card select failed, 4 = reader not connected; 神思 returns 0 for "no card /
# not lifted since the last read". Read_Content: 0 = read failed, 4 = not connected.
_AUTH_NO_CARD = {0, 2}
_NOT_CONNECTED = {4}


def _auth_error(rc: int) -> ReaderError:
    if rc in _AUTH_NO_CARD:
        return NoCardError(
            message_zh="未检测到证件，请将证件平放在读卡器上；已读过的证件请拿起后重新放置。",
            message_en="No card found. Place the card on the reader; "
            "a card already read must be lifted and placed again.",
            vendor_rc=rc,
        )
    if rc in _NOT_CONNECTED:
        return DeviceUnavailableError(vendor_rc=rc)
    return ReadFailedError(
        "authenticate_failed",
        "证件认证失败，请拿起证件后重新放置再读。",
        "Card authentication failed. Lift the card, place it again and retry.",
        vendor_rc=rc,
    )


def _read_error(rc: int) -> ReaderError:
    if rc in _NOT_CONNECTED:
        return DeviceUnavailableError(vendor_rc=rc)
    return ReadFailedError(vendor_rc=rc)


def _garbled(what: str) -> ReadFailedError:
    """A field that does not parse means the read was bad — never a guessed value."""
    return ReadFailedError(
        "garbled_field",
        f"读卡数据异常（{what}），请拿起证件后重新放置再读。",
        f"The reader returned an unreadable {what}. Lift the card, place it again and retry.",
    )


def _parse_date(text: str, what: str) -> date:
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) != 8:
        raise _garbled(what)
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise _garbled(what) from None


def _parse_sex(text: str) -> Literal["男", "女"]:
    # Most SDKs return 男/女; a few return the GB/T 2261 code (1 = male, 2 = female).
    value = {"1": "男", "2": "女", "男": "男", "女": "女"}.get(text.strip())
    if value is None:
        raise _garbled("sex")
    return value  # type: ignore[return-value]


class TermbIdCardReader:
    """:class:`~frontdesk.devices.id_reader.IdCardReader` over a termb-style vendor library.

    ``dialect`` is ``"auto"`` (detect from the exports) or a key of :data:`DIALECTS`.
    ``photo_dir`` is where the vendor writes ``zp.bmp``; by default the library's folder,
    the working folder and the temp folder are tried (vendors differ). The photo file is
    deleted before each read (so a previous customer's photo can never be attached to the
    next one) and after it is read (PIPL: no face images left lying on disk).
    """

    is_simulator: bool = False

    def __init__(
        self,
        library_path: str | os.PathLike[str],
        port: int = 1001,
        *,
        dialect: str = "auto",
        encoding: str = "gb18030",
        photo_dir: str | os.PathLike[str] | None = None,
        poll_interval_s: float = 0.2,
    ) -> None:
        if not valid_port(port):
            raise ValueError(f"termb port must be 1-16 (serial) or 1001-1016 (USB), not {port}")
        if dialect != "auto" and dialect not in DIALECTS:
            raise ValueError(f"unknown termb dialect {dialect!r}; choose auto or {list(DIALECTS)}")
        self.library_path = Path(library_path)
        self.port = port
        self.encoding = encoding
        self.poll_interval_s = poll_interval_s
        self.name = f"termb ({self.library_path.name}, port {port})"
        self._dialect_choice = dialect
        self._photo_dir = Path(photo_dir) if photo_dir is not None else None
        self._lock = threading.Lock()
        self._lib: ctypes.CDLL | None = None
        self._dialect: TermbDialect | None = None
        self._opened = False

    @property
    def dialect(self) -> TermbDialect | None:
        """The dialect in use once :meth:`open` has loaded the library."""
        return self._dialect

    # -- library set-up -----------------------------------------------------------
    def _ensure_loaded(self) -> tuple[ctypes.CDLL, TermbDialect]:
        if self._lib is not None and self._dialect is not None:
            return self._lib, self._dialect
        try:
            lib = _load_library(str(self.library_path))
        except OSError as exc:
            raise DeviceUnavailableError(
                "library_missing",
                f"无法加载读卡器驱动库 {self.library_path.name}，请检查安装。",
                f"Cannot load the reader library {self.library_path.name}: {exc}",
            ) from exc
        dialect = self._pick_dialect(lib)
        self._bind(lib, dialect)
        self._lib, self._dialect = lib, dialect
        return lib, dialect

    def _pick_dialect(self, lib: ctypes.CDLL) -> TermbDialect:
        candidates = (
            [DIALECTS[self._dialect_choice]]
            if self._dialect_choice != "auto"
            else list(DIALECTS.values())
        )
        for d in candidates:
            if all(_has_export(lib, sym) for sym in d.exports()):
                return d
        raise DeviceUnavailableError(
            "library_unsupported",
            f"读卡器驱动库 {self.library_path.name} 的接口不受支持。",
            f"The reader library {self.library_path.name} does not export a known termb API "
            f"(tried {', '.join(d.key for d in candidates)}).",
        )

    @staticmethod
    def _bind(lib: ctypes.CDLL, d: TermbDialect) -> None:
        """Declare argument and result types, so ctypes passes ints and pointers right."""
        for sym, args in (
            (d.init, [ctypes.c_int]),
            (d.authenticate, []),
            (d.read_content, [ctypes.c_int]),
            (d.close, []),
        ):
            fn = getattr(lib, sym)
            fn.argtypes, fn.restype = args, ctypes.c_int
        for sym in d.getters.values():
            fn = getattr(lib, sym)
            if d.getter_style == "buffer":
                fn.argtypes, fn.restype = [ctypes.c_char_p], ctypes.c_int
            elif d.getter_style == "buffer_len":
                fn.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_int)]
                fn.restype = ctypes.c_int
            else:
                fn.argtypes, fn.restype = [], ctypes.c_void_p

    # -- IdCardReader -------------------------------------------------------------
    def open(self) -> None:
        with self._lock:
            lib, d = self._ensure_loaded()
            if self._opened:
                return
            rc = getattr(lib, d.init)(self.port)
            if rc != 1:
                raise DeviceUnavailableError(
                    "port_unavailable",
                    f"无法打开读卡器端口 {self.port}，请检查读卡器连接和端口设置。",
                    f"Cannot open reader port {self.port}. Check the cable and port setting.",
                    vendor_rc=rc,
                )
            self._opened = True

    def close(self) -> None:
        with self._lock:
            if self._opened and self._lib is not None and self._dialect is not None:
                getattr(self._lib, self._dialect.close)()
            self._opened = False

    def read(self, timeout_s: float = 5.0) -> CardRead:
        """Wait up to ``timeout_s`` for a (newly placed) card, then read it."""
        with self._lock:
            if not self._opened or self._lib is None or self._dialect is None:
                raise DeviceUnavailableError(
                    "not_open", "读卡器未打开。", "The reader has not been opened."
                )
            lib, d = self._lib, self._dialect
            deadline = time.monotonic() + max(timeout_s, 0.0)
            while True:
                rc = getattr(lib, d.authenticate)()
                if rc == 1:
                    break
                error = _auth_error(rc)
                if not isinstance(error, NoCardError) or time.monotonic() >= deadline:
                    raise error
                time.sleep(min(self.poll_interval_s, max(deadline - time.monotonic(), 0.0)))
            self._discard_photo_files()
            rc = getattr(lib, d.read_content)(d.read_active)
            if rc != 1:
                raise _read_error(rc)
            raw = {f: self._get(lib, d, f) for f in FIELDS}
            photo = self._take_photo()
        return self._card_from(raw, photo)

    # -- field access ---------------------------------------------------------------
    def _get(self, lib: ctypes.CDLL, d: TermbDialect, field_name: str) -> str:
        fn: Any = getattr(lib, d.getters[field_name])
        if d.getter_style == "return_ptr":
            ptr = fn()
            data = ctypes.string_at(ptr) if ptr else b""
        else:
            buf = ctypes.create_string_buffer(_BUFFER_SIZE)
            if d.getter_style == "buffer":
                rc = fn(buf)
            else:
                length = ctypes.c_int(_BUFFER_SIZE)
                rc = fn(buf, ctypes.byref(length))
            if rc != 1:
                raise ReadFailedError(
                    "getter_failed",
                    "读取证件信息失败，请拿起证件后重新放置再读。",
                    f"The reader library failed to return the {field_name} field.",
                    vendor_rc=rc,
                )
            data = buf.value
        try:
            text = data.decode(self.encoding)
        except UnicodeDecodeError:
            raise _garbled(field_name) from None
        # Card fields are fixed-width and space padded; some SDKs use full-width spaces.
        return text.replace("\x00", "").strip().strip("\u3000").strip()

    def _card_from(self, raw: dict[str, str], photo: bytes | None) -> CardRead:
        id_number = raw["id_number"].upper()
        if not id_number:
            raise _garbled("id_number")
        long_term = raw["valid_to"] == _LONG_TERM
        doc_kind = doc_kind_for_id_number(id_number)
        try:
            ethnicity_code = ethnicity_code_for(raw["ethnicity"])
        except ValueError:
            if doc_kind == "resident_id":  # a 居民身份证 always carries its ethnicity
                raise _garbled("ethnicity") from None
            ethnicity_code = ""  # foreigners' cards put a nationality in this slot
        nationality = None
        if doc_kind == "foreign_permanent_resident" and raw["ethnicity"].isalpha():
            nationality = raw["ethnicity"].upper()
        return CardRead(
            name=raw["name"],
            sex=_parse_sex(raw["sex"]),
            ethnicity_code=ethnicity_code,
            birth_date=_parse_date(raw["birth_date"], "birth_date"),
            address=raw["address"],
            id_number=id_number,
            issuing_authority=raw["issuing_authority"],
            valid_from=_parse_date(raw["valid_from"], "valid_from"),
            valid_to=None if long_term else _parse_date(raw["valid_to"], "valid_to"),
            long_term=long_term,
            photo_bmp=photo,
            doc_kind=doc_kind,
            read_at=datetime.now(),
            nationality=nationality,
        )

    # -- photo file -----------------------------------------------------------------
    def _photo_candidates(self) -> list[Path]:
        if self._photo_dir is not None:
            return [self._photo_dir / _PHOTO_FILE]
        dirs = [self.library_path.resolve().parent, Path.cwd(), Path(tempfile.gettempdir())]
        return [d / _PHOTO_FILE for d in dict.fromkeys(dirs)]

    def _discard_photo_files(self) -> None:
        for path in self._photo_candidates():
            path.unlink(missing_ok=True)

    def _take_photo(self) -> bytes | None:
        """Read the vendor's zp.bmp if this read produced one, then delete it."""
        for path in self._photo_candidates():
            try:
                data = path.read_bytes()
            except OSError:
                continue
            path.unlink(missing_ok=True)
            if data[:2] == b"BM":
                return data
        return None

    def __enter__(self) -> TermbIdCardReader:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
