"""Reading a catalogue: the file, JSON, the models, the checks, the digest.

A catalogue that breaks a rule is refused as a whole with a :class:`CatalogueError`
naming the file, the entry and the reason — the counter keeps the catalogue it had.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from frontdesk.core.catalogue.checks import _cross_checks, _default_checks
from frontdesk.core.catalogue.model import Catalogue
from frontdesk.core.catalogue.schema import SCHEMA_VERSION
from frontdesk.core.fields import Choice, register_label

# --------------------------------------------------------------------------- error


class CatalogueError(Exception):
    """A catalogue that can't be used: which file, which entry, why (Chinese and English)."""

    def __init__(self, source: str, entry: str, reason: str, reason_en: str | None = None):
        self.source = source
        self.entry = entry
        self.reason = reason
        self.reason_en = reason_en or reason
        super().__init__(
            f"业务目录文件 {source} 有误，条目 {entry}：{reason}。"
            "请联系总部重新发布正确的业务目录，在此之前继续使用原有目录。\n"
            f"Catalogue file {source} is invalid at {entry}: {self.reason_en}. "
            "Please ask head office to publish a corrected catalogue; the previous one stays "
            "in use until then."
        )


# --------------------------------------------------------------------------- loading


def default_catalogue_path() -> Path:
    """``resources/catalogue/catalogue.json`` (env ``FRONTDESK_RESOURCES`` names the
    resources folder instead)."""
    override = os.environ.get("FRONTDESK_RESOURCES")
    base = Path(override) if override else Path(__file__).resolve().parents[3] / "resources"
    return base / "catalogue" / "catalogue.json"


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _DuplicateKey(key)
        seen[key] = value
    return seen


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def load_catalogue(path: Path | None = None) -> Catalogue:
    """Read, check and return the catalogue; :class:`CatalogueError` when it is unusable."""
    path = Path(path) if path is not None else default_catalogue_path()
    source = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CatalogueError(
            source,
            "(文件 / file)",
            f"无法读取文件（{exc.strerror or exc}）",
            f"the file cannot be read ({exc.strerror or exc})",
        ) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogueError(
            source,
            f"第 {exc.start} 字节 / byte {exc.start}",
            "文件不是 UTF-8 编码",
            "the file is not UTF-8",
        ) from exc
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise CatalogueError(
            source,
            f"第 {exc.lineno} 行第 {exc.colno} 列 / line {exc.lineno}, column {exc.colno}",
            f"JSON 语法错误（{exc.msg}）",
            f"JSON syntax error ({exc.msg})",
        ) from exc
    except _DuplicateKey as exc:
        raise CatalogueError(
            source,
            f"键 “{exc.key}” / key “{exc.key}”",
            "同一对象中该键出现了两次",
            "the key appears twice in the same object",
        ) from exc
    return parse_catalogue(data, source)


def parse_catalogue(data: dict, source: str) -> Catalogue:
    """Check a catalogue given as decoded JSON (e.g. from head office) and build it."""
    if not isinstance(data, dict):
        raise CatalogueError(source, "(顶层 / top level)", "应为 JSON 对象", "must be an object")
    if data.get("schema_version") != SCHEMA_VERSION:
        raise CatalogueError(
            source,
            "schema_version",
            f"不支持的目录格式版本 {data.get('schema_version')!r}（本程序支持 {SCHEMA_VERSION}），"
            "请升级前台软件或联系总部",
            f"unsupported schema version {data.get('schema_version')!r} (this program reads "
            f"{SCHEMA_VERSION}); update the counter software or ask head office",
        )
    try:
        catalogue = Catalogue.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        first = errors[0]
        zh, en = _explain(first)
        if len(errors) > 1:
            zh += f"（另有 {len(errors) - 1} 处问题）"
            en += f" ({len(errors) - 1} more problem(s))"
        raise CatalogueError(source, _entry(data, first["loc"]), zh, en) from None
    for loc, zh, en in _cross_checks(catalogue):
        raise CatalogueError(source, _entry(data, loc), zh, en)
    catalogue = _resolve_choices(catalogue)
    for loc, zh, en in _default_checks(catalogue):
        raise CatalogueError(source, _entry(data, loc), zh, en)
    for business in catalogue.businesses:
        for defn in business.fields:
            register_label(defn)
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    catalogue._digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    catalogue._source = source
    return catalogue


def _entry(data: Any, loc: tuple[Any, ...]) -> str:
    """JSON path of an entry, with the code of each list item: businesses[3](NEW_LINE).fee_fen."""
    out = ""
    node: Any = data
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            node = node[part] if isinstance(node, list) and part < len(node) else None
            if isinstance(node, dict):
                for name in ("code", "key", "category", "part", "rule", "value"):
                    if isinstance(node.get(name), str):
                        out += f"({node[name]})"
                        break
        else:
            out += ("." if out else "") + str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return out or "(顶层 / top level)"


_PYDANTIC_ZH = {
    "missing": "缺少必填项",
    "extra_forbidden": "不认识的键（可能拼写有误）",
    "literal_error": "取值不在允许范围内",
    "enum": "取值不在允许范围内",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "string_type": "应为文本",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "string_pattern_mismatch": "格式不符合要求",
    "string_too_short": "不能为空",
    "string_too_long": "太长",
    "greater_than": "数值太小",
    "greater_than_equal": "数值太小",
    "less_than_equal": "数值太大",
    "too_short": "至少需要一项",
    "tuple_type": "应为列表",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "datetime_type": "应为 ISO 日期时间",
    "datetime_parsing": "应为 ISO 日期时间",
    "datetime_from_date_parsing": "应为 ISO 日期时间",
}


def _explain(err: Mapping[str, Any]) -> tuple[str, str]:
    kind = err["type"]
    message = str(err.get("msg", ""))
    if kind == "value_error":
        text = message.removeprefix("Value error, ")
        zh, _, en = text.partition(" / ")
        return zh, en or zh
    ctx = err.get("ctx") or {}
    zh = _PYDANTIC_ZH.get(kind, "取值无效")
    if "expected" in ctx:
        zh += f"，允许：{ctx['expected']}"
    elif "pattern" in ctx:
        zh += f"（{ctx['pattern']}）"
    elif "ge" in ctx or "gt" in ctx:
        zh += f"，应 ≥ {ctx.get('ge', ctx.get('gt'))}"
    if "input" in err and kind not in ("missing",):
        shown = repr(err["input"])
        if len(shown) <= 60:
            zh += f"（当前值 {shown}）"
    return zh, message


def _resolve_choices(c: Catalogue) -> Catalogue:
    """Fill ``choices_from`` fields with the referenced list (plans, complaint rules)."""
    sources: dict[str, tuple[Choice, ...]] = {
        "plans": tuple(
            Choice(value=p.code, label_zh=p.name_zh, label_en=p.name_en) for p in c.plans
        ),
        "complaint_rules": tuple(
            Choice(value=r.category, label_zh=r.name_zh, label_en=r.name_en)
            for r in c.complaint_rules
        ),
    }
    businesses = []
    for b in c.businesses:
        if any(f.choices_from for f in b.fields):
            fields = tuple(
                f.model_copy(update={"choices": sources[f.choices_from]}) if f.choices_from else f
                for f in b.fields
            )
            b = b.model_copy(update={"fields": fields})
        businesses.append(b)
    return c.model_copy(update={"businesses": tuple(businesses)})
