"""Time to produce a slip + receipt pair (SPEC §12: target ≤ 100 ms, median).

A throw-away workstation settles a realistic visit (new line + top-up, WeChat + cash,
pad signature) through the real services, then measures, warm (font loaded once, as
on a running counter):

- ``render pair``: DocumentService.render_slip + render_receipt(A4) — database read,
  data views, reportlab layout, font subsetting, QR code, signature image;
- ``render pair + 80 mm``: the same plus the thermal receipt;
- ``archive pair``: what the counter does after settling — render, fsync'd atomic
  write and the ArchivedDocument rows — on a fresh slip each repeat;
- each document alone, for where the time goes.

Usage: ``python bench/bench_printing.py [--repeat 50] [--json]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from frontdesk.services.documents import DocumentService  # noqa: E402
from scripts.render_samples import (  # noqa: E402
    sample_workstation,
    settle_sale,
    settle_top_up,
)

TARGET_MS = 100.0


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    fn()  # warm-up (imports, caches)
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "median_ms": round(statistics.median(ordered), 2),
        "p90_ms": round(ordered[int(len(ordered) * 0.9) - 1], 2),
        "min_ms": round(ordered[0], 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    from frontdesk.devices.signature_pad import SimulatedSignaturePad

    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="frontdesk-bench-print-") as tmp:
        ws, clerk, _ = sample_workstation(Path(tmp))
        try:
            docs = DocumentService(ws)
            start = time.perf_counter()
            _ = docs.fonts
            results["font load (cold, once per process)"] = {
                "median_ms": round((time.perf_counter() - start) * 1000, 2)
            }
            sale = settle_sale(ws, clerk)
            png = SimulatedSignaturePad(seed=5).capture("请签名", 30).png
            docs.record_signature(clerk, sale.slip_id, "pad", image_png=png)
            from sqlalchemy import select

            from frontdesk.store.models import Receipt

            with ws.db.reader() as s:
                rid = s.scalar(select(Receipt.id).where(Receipt.slip_id == sale.slip_id))
            results["slip (A4, 2 businesses, QR, signature)"] = summary(
                timed(lambda: docs.render_slip(sale.slip_id), args.repeat)
            )
            results["receipt A4"] = summary(
                timed(lambda: docs.render_receipt(rid, "a4"), args.repeat)
            )
            results["receipt 80 mm"] = summary(
                timed(lambda: docs.render_receipt(rid, "thermal80"), args.repeat)
            )
            results["render pair (slip + A4 receipt)"] = summary(
                timed(
                    lambda: (docs.render_slip(sale.slip_id), docs.render_receipt(rid, "a4")),
                    args.repeat,
                )
            )
            results["render pair + 80 mm receipt"] = summary(
                timed(
                    lambda: (
                        docs.render_slip(sale.slip_id),
                        docs.render_receipt(rid, "a4"),
                        docs.render_receipt(rid, "thermal80"),
                    ),
                    args.repeat,
                )
            )
            fresh = [settle_top_up(ws, clerk, str(10 + i)) for i in range(args.repeat + 1)]
            queue = iter(fresh)
            results["archive pair (render + fsync + record)"] = summary(
                timed(lambda: docs.archive_settlement(next(queue).slip_id), args.repeat)
            )
        finally:
            ws.close()
    pair = results["render pair (slip + A4 receipt)"]["median_ms"]
    if args.json:
        print(json.dumps({"target_ms": TARGET_MS, "results": results}, ensure_ascii=False))
    else:
        print(f"frontdesk printing benchmark — {args.repeat} repeats, warm")
        for name, figures in results.items():
            cells = "  ".join(f"{k[:-3]} {v:7.2f} ms" for k, v in figures.items())
            print(f"  {name:<42} {cells}")
        verdict = "within" if pair <= TARGET_MS else "OVER"
        print(f"slip + receipt pair median {pair:.1f} ms: {verdict} the {TARGET_MS:.0f} ms target")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
