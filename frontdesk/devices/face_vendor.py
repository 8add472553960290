"""Adapter for a vendor face-comparison SDK (人证核验 / 人像比对 terminal), over ctypes.

Counter face-comparison terminals ship a C library that drives their own camera, does
the liveness check (活体检测) and compares the live face with the photo read from the ID
chip. The live image never leaves the library (PIPL: face data stays on the device); the
program hands in the chip photo and gets back a similarity and a liveness verdict only.
The exported API (``facecmp.dll`` / ``libfacecmp.so``, cdecl on Linux, stdcall on Windows):

``int FC_Init(int camera)``
    Open the camera (0 = first). 0 = ok, -1 = no camera, -2 = licence invalid or expired.
``int FC_Compare(const unsigned char *photo, int photo_len, int timeout_ms,
                 double *score, int *liveness)``
    Capture a live face and compare it with ``photo`` (the chip's BMP). 0 = ok with
    ``*score`` in [0, 1] and ``*liveness`` 1/0; 1 = no face in front of the camera before
    the timeout; 2 = the photo could not be decoded; -1 = not initialised; -3 = camera
    fault.
``void FC_Close(void)``
    Release the camera.

The pass threshold is the operator's (config ``face_threshold``), not the vendor's.
Calls go through one lock: vendor libraries are process-global and not thread-safe.
"""

from __future__ import annotations

import ctypes
import math
import os
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from frontdesk.devices.face import FaceDeviceError, FaceMatch

__all__ = ["EXPORTS", "VendorFaceComparer"]

EXPORTS = ("FC_Init", "FC_Compare", "FC_Close")

_INIT_ERRORS = {
    -1: ("no_camera", "人像比对设备未找到摄像头，请检查连接。", "The face device found no camera."),
    -2: (
        "licence_invalid",
        "人像比对设备的授权无效或已过期，请联系 IT 人员。",
        "The face comparison licence is invalid or expired; please call IT.",
    ),
}
_COMPARE_ERRORS = {
    1: (
        "no_face",
        "未检测到人脸，请客户正对摄像头后重试。",
        "No face in front of the camera; ask the customer to face it and retry.",
    ),
    2: (
        "photo_unreadable",
        "证件照片无法用于比对，请重新读取证件。",
        "The ID photo could not be used; read the card again.",
    ),
    -1: ("not_open", "人像比对设备未初始化。", "The face device has not been initialised."),
    -3: (
        "camera_fault",
        "人像比对设备故障，请检查摄像头连接。",
        "The face device reported a camera fault.",
    ),
}


def _load_library(path: str) -> ctypes.CDLL:
    loader: Callable[[str], ctypes.CDLL] = ctypes.WinDLL if os.name == "nt" else ctypes.CDLL  # type: ignore[attr-defined]
    return loader(path)


def _error(table: dict, rc: int) -> FaceDeviceError:
    code, zh, en = table.get(
        rc,
        (
            "vendor_error",
            f"人像比对设备返回错误（{rc}），请重试或联系 IT 人员。",
            f"The face device returned error {rc}; retry or call IT.",
        ),
    )
    return FaceDeviceError(code, zh, en, vendor_rc=rc)


class VendorFaceComparer:
    """:class:`~frontdesk.devices.face.FaceComparer` over a vendor SDK (see module doc).

    The library is loaded and the camera opened on first use, so a counter starts even
    when the terminal is unplugged; the clerk then gets the device's own message.
    """

    is_simulator: bool = False

    def __init__(
        self, library_path: str | os.PathLike[str], *, camera: int = 0, threshold: float = 0.80
    ) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError("face threshold is a similarity between 0 and 1")
        if camera < 0:
            raise ValueError("face camera index is 0 or more")
        self.library_path = Path(library_path)
        self.camera = camera
        self.threshold = threshold
        self.name = f"人像比对 ({self.library_path.name}, camera {camera})"
        self._lock = threading.Lock()
        self._lib: ctypes.CDLL | None = None
        self._opened = False

    def check_library(self) -> None:
        """Load the library and check its exports, without opening the camera (selfcheck)."""
        with self._lock:
            self._load()

    def _ensure_open(self) -> ctypes.CDLL:
        lib = self._load()
        if not self._opened:
            rc = lib.FC_Init(self.camera)
            if rc != 0:
                raise _error(_INIT_ERRORS, rc)
            self._opened = True
        return lib

    def _load(self) -> ctypes.CDLL:
        if self._lib is None:
            try:
                lib = _load_library(str(self.library_path))
            except OSError as exc:
                raise FaceDeviceError(
                    "library_missing",
                    f"无法加载人像比对驱动库 {self.library_path.name}，请检查安装。",
                    f"Cannot load the face comparison library {self.library_path.name}: {exc}",
                ) from exc
            missing = [sym for sym in EXPORTS if not hasattr(lib, sym)]
            if missing:
                raise FaceDeviceError(
                    "library_unsupported",
                    f"人像比对驱动库 {self.library_path.name} 的接口不受支持。",
                    f"The library {self.library_path.name} lacks {', '.join(missing)}.",
                )
            lib.FC_Init.argtypes, lib.FC_Init.restype = [ctypes.c_int], ctypes.c_int
            lib.FC_Compare.argtypes = [
                ctypes.c_char_p,
                ctypes.c_int,
                ctypes.c_int,
                ctypes.POINTER(ctypes.c_double),
                ctypes.POINTER(ctypes.c_int),
            ]
            lib.FC_Compare.restype = ctypes.c_int
            lib.FC_Close.argtypes, lib.FC_Close.restype = [], None
            self._lib = lib
        return self._lib

    def compare(self, id_photo: bytes | None, *, timeout_s: float = 10.0) -> FaceMatch:
        if not id_photo:
            raise FaceDeviceError(
                "no_id_photo",
                "没有证件照片，无法进行人像比对，请重新读取证件。",
                "No ID photo to compare against. Read the card again.",
            )
        with self._lock:
            lib = self._ensure_open()
            score = ctypes.c_double(-1.0)
            liveness = ctypes.c_int(0)
            rc = lib.FC_Compare(
                id_photo,
                len(id_photo),
                max(int(timeout_s * 1000), 0),
                ctypes.byref(score),
                ctypes.byref(liveness),
            )
        if rc != 0:
            if rc == -1:
                self._opened = False  # the terminal was reset: open it again next time
            raise _error(_COMPARE_ERRORS, rc)
        value = score.value
        if math.isnan(value) or not 0.0 <= value <= 1.0:
            raise FaceDeviceError(
                "garbled_score",
                "人像比对设备返回了无效的相似度，请重试。",
                f"The face device returned an invalid similarity {value!r}; retry.",
            )
        alive = liveness.value == 1
        return FaceMatch(
            score=round(value, 4),
            threshold=self.threshold,
            passed=alive and value >= self.threshold,
            liveness_passed=alive,
            device=self.name,
            compared_at=datetime.now(),
        )

    def close(self) -> None:
        with self._lock:
            if self._opened and self._lib is not None:
                self._lib.FC_Close()
            self._opened = False
