"""Fixtures for the device tests: the fake vendor reader library, compiled at run time.

The fake (fake_termb.c) is built with the system C compiler so the ctypes adapter is
exercised against a real shared library. A missing compiler fails the run loudly — it must
never quietly skip the only end-to-end test of the vendor adapter (CI installs gcc).
"""

from __future__ import annotations

import ctypes
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

FAKE_SOURCE = Path(__file__).with_name("fake_termb.c")
DIALECT_DEFINES: dict[str, list[str]] = {
    "termb": [],
    "cvr": ["-DFAKE_DIALECT_CVR"],
    "sdses": ["-DFAKE_DIALECT_SDSES"],
}

# A fixed "today" for simulator tests, plus the real one: cards are built relative to it.
FIXED_TODAY = date(2024, 2, 29)


def _compiler() -> str:
    for name in ("cc", "gcc", "clang"):
        found = shutil.which(name)
        if found:
            return found
    pytest.fail(
        "No C compiler (cc/gcc/clang) found: the termb adapter tests need one to build "
        "the fake vendor library. Install it, e.g. `apt-get install -y gcc`."
    )


@pytest.fixture(scope="session")
def fake_termb_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The fake library compiled once per dialect: {dialect: path to the .so}."""
    out_dir = tmp_path_factory.mktemp("fake_termb_lib")
    cc = _compiler()
    built: dict[str, Path] = {}
    for dialect, defines in DIALECT_DEFINES.items():
        target = out_dir / f"libtermb_{dialect}.so"
        result = subprocess.run(
            [cc, "-shared", "-fPIC", "-O0", "-Wall", *defines, "-o", str(target), str(FAKE_SOURCE)],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            pytest.fail(f"compiling {FAKE_SOURCE.name} ({dialect}) failed:\n{result.stderr}")
        built[dialect] = target
    return built


class FakeTermb:
    """Test-side handle on the fake library's fake_* hooks (same process-wide state)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lib = ctypes.CDLL(str(path))
        self.lib.fake_set_mode.argtypes = [ctypes.c_char_p]
        self.lib.fake_set_field.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
        self.lib.fake_set_photo_dir.argtypes = [ctypes.c_char_p]
        self.lib.fake_reset()

    def mode(self, mode: str) -> None:
        self.lib.fake_set_mode(mode.encode())

    def set_field(self, key: str, value: str, encoding: str = "gbk") -> None:
        assert self.lib.fake_set_field(key.encode(), value.encode(encoding)) == 1

    def lift(self) -> None:
        self.lib.fake_lift()

    def last_active(self) -> int:
        return int(self.lib.fake_last_active())

    def last_port(self) -> int:
        return int(self.lib.fake_last_port())

    def close_calls(self) -> int:
        return int(self.lib.fake_close_calls())


@pytest.fixture(params=sorted(DIALECT_DEFINES))
def fake_termb(
    request: pytest.FixtureRequest,
    fake_termb_builds: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[FakeTermb]:
    """The fake library of each dialect, reset, with the working folder in tmp_path."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)  # the fake, like many vendor DLLs, writes zp.bmp here
    fake = FakeTermb(fake_termb_builds[request.param])
    yield fake
    fake.lib.fake_reset()


@pytest.fixture
def fake_plain(
    fake_termb_builds: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[FakeTermb]:
    """Only the plain termb dialect, for tests about behaviour rather than signatures."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    fake = FakeTermb(fake_termb_builds["termb"])
    yield fake
    fake.lib.fake_reset()


FAKE_FACE_SOURCE = Path(__file__).with_name("fake_facecmp.c")


class FakeFace:
    """Test-side handle on fake_facecmp.c's hooks (same process-wide state as the adapter)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lib = ctypes.CDLL(str(path))
        self.lib.fake_set_mode.argtypes = [ctypes.c_char_p]
        self.lib.fake_set_result.argtypes = [ctypes.c_double, ctypes.c_int]
        self.lib.fake_reset()

    def mode(self, mode: str) -> None:
        self.lib.fake_set_mode(mode.encode())

    def result(self, score: float, liveness: bool) -> None:
        self.lib.fake_set_result(score, int(liveness))

    def hook(self, name: str) -> int:
        return int(getattr(self.lib, f"fake_{name}")())


@pytest.fixture(scope="session")
def fake_face_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """fake_facecmp.c compiled once per session into libfacecmp.so."""
    target = tmp_path_factory.mktemp("fake_face_lib") / "libfacecmp.so"
    result = subprocess.run(
        [_compiler(), "-shared", "-fPIC", "-O0", "-Wall", "-o", str(target), str(FAKE_FACE_SOURCE)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        pytest.fail(f"compiling {FAKE_FACE_SOURCE.name} failed:\n{result.stderr}")
    return target


@pytest.fixture
def fake_face(fake_face_build: Path) -> Iterator[FakeFace]:
    fake = FakeFace(fake_face_build)
    yield fake
    fake.lib.fake_reset()
