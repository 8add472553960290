"""Build the one-folder bundle (and on Linux the .deb), then self-check it.

    python packaging/build.py                 # dist/frontdesk/ (PyInstaller)
    python packaging/build.py --deb           # … and dist/frontdesk_<version>_<arch>.deb
    python packaging/build.py --selfcheck     # … and run the bundle's self-check headless

The Windows workflow (packaging/windows/) calls the same script, then Inno Setup; the
Linux path here is the tested one and shares every step with it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
DIST = ROOT / "dist"


def version() -> str:
    sys.path.insert(0, str(ROOT))
    from frontdesk import __version__

    return __version__


def write_build_info() -> Path:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    info = {
        "version": version(),
        "commit": commit,
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "platform": f"{platform.system()}-{platform.machine()}",
        "python": platform.python_version(),
    }
    path = PACKAGING / "build" / "BUILD_INFO.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(info, indent=2), encoding="utf-8")
    return path


def compile_translations() -> None:
    """The .qm files are build products (never committed): compile them from the .ts."""
    sys.path.insert(0, str(ROOT))
    from frontdesk.gui.i18n import compile_translations as compile_ts

    for qm in compile_ts(force=True):
        print(f"translation: {qm.name}")


def build_bundle() -> Path:
    write_build_info()
    compile_translations()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--distpath",
            str(DIST),
            "--workpath",
            str(PACKAGING / "build" / "work"),
            str(PACKAGING / "frontdesk.spec"),
        ],
        cwd=ROOT,
        check=True,
    )
    bundle = DIST / "frontdesk"
    if not (bundle / executable_name()).exists():
        raise SystemExit(f"bundle not built: {bundle}")
    return bundle


def executable_name() -> str:
    return "frontdesk.exe" if os.name == "nt" else "frontdesk"


def selfcheck(bundle: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("PYTHONPATH", None)
    result = subprocess.run(
        [str(bundle / executable_name()), "selfcheck"], env=env, capture_output=True, text=True
    )
    print(result.stdout, result.stderr, sep="")
    if result.returncode != 0:
        raise SystemExit(f"bundle self-check failed with exit code {result.returncode}")


def deb_arch() -> str:
    return {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())


def installed_size_kb(stage: Path) -> int:
    """dpkg's Installed-Size: each regular file once (a symlink is not its target again)."""
    total = 0
    for f in stage.rglob("*"):
        if f.is_symlink() or not f.is_file() or f.parts[len(stage.parts)] == "DEBIAN":
            continue
        total += f.lstat().st_size
    return (total + 1023) // 1024


def build_deb(bundle: Path) -> Path:
    """A .deb installing the bundle to /opt/frontdesk with a command and a menu entry."""
    stage = PACKAGING / "build" / "deb"
    shutil.rmtree(stage, ignore_errors=True)
    (stage / "DEBIAN").mkdir(parents=True)
    shutil.copytree(bundle, stage / "opt" / "frontdesk", symlinks=True)
    (stage / "usr" / "bin").mkdir(parents=True)
    (stage / "usr" / "bin" / "frontdesk").symlink_to("/opt/frontdesk/frontdesk")
    apps = stage / "usr" / "share" / "applications"
    apps.mkdir(parents=True)
    shutil.copy(PACKAGING / "linux" / "frontdesk.desktop", apps / "frontdesk.desktop")
    size_kb = installed_size_kb(stage)
    control = (
        (PACKAGING / "linux" / "control.in")
        .read_text(encoding="utf-8")
        .format(version=version(), arch=deb_arch(), size_kb=size_kb)
    )
    (stage / "DEBIAN" / "control").write_text(control, encoding="utf-8")
    for script in ("postinst", "postrm"):
        target = stage / "DEBIAN" / script
        shutil.copy(PACKAGING / "linux" / script, target)
        target.chmod(0o755)
    out = DIST / f"frontdesk_{version()}_{deb_arch()}.deb"
    # gzip: xz on a 300 MB Qt bundle takes minutes for a few MB saved
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", "-Zgzip", "--build", str(stage), str(out)], check=True
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--deb", action="store_true", help="also build the Debian package")
    parser.add_argument("--selfcheck", action="store_true", help="run the bundle's self-check")
    args = parser.parse_args()
    bundle = build_bundle()
    print(f"bundle: {bundle}")
    if args.selfcheck:
        selfcheck(bundle)
    if args.deb:
        print(f"deb: {build_deb(bundle)}")


if __name__ == "__main__":
    main()
