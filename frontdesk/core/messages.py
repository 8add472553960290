"""Rule messages that name the field and the rule, in the clerk's language.

Every rule in the core reports what is wrong as a :class:`Problem`: a stable code
(``"id.check_digit"``), the field it concerns (``"id_number"``), a severity and the
values the message needs. The text is rendered only when shown, in Simplified Chinese
by default or English, so the same problem can go to a screen, a log (codes only, no
personal data) or a test assertion.

Modules register their own templates next to the rule that raises them with
:func:`define` and field labels with :func:`define_field`; there is no central table
to edit when a rule is added. Templates are ``str.format`` strings; ``{field}`` is the
field's label in the same language. Messages follow the counter's speech standard
(DOMAIN.md): polite, specific, and they say what to do next.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Generic, Literal, TypeVar

T = TypeVar("T")

Language = Literal["zh", "en"]
LANGUAGES: tuple[Language, ...] = ("zh", "en")

_default_language: Language = "zh"
_templates: dict[str, dict[Language, str]] = {}
_field_labels: dict[str, dict[Language, str]] = {}


class Severity(enum.StrEnum):
    """How a problem affects the business: an error blocks it, a warning is shown."""

    ERROR = "error"
    WARNING = "warning"


def set_language(language: Language) -> None:
    """Set the language used when :meth:`Problem.text` is called without one."""
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}")
    global _default_language
    _default_language = language


def current_language() -> Language:
    return _default_language


def define(code: str, *, zh: str, en: str) -> str:
    """Register the message templates of one rule and return its code.

    Registering the same code twice with different text is a programming error: two
    rules would otherwise silently share a message.
    """
    entry: dict[Language, str] = {"zh": zh, "en": en}
    existing = _templates.get(code)
    if existing is not None and existing != entry:
        raise ValueError(f"message code {code!r} already defined with other text")
    _templates[code] = entry
    return code


def define_field(key: str, *, zh: str, en: str) -> str:
    """Register the label of an input field, as the clerk sees it on screen."""
    entry: dict[Language, str] = {"zh": zh, "en": en}
    existing = _field_labels.get(key)
    if existing is not None and existing != entry:
        raise ValueError(f"field {key!r} already defined with another label")
    _field_labels[key] = entry
    return key


def field_label(key: str, language: Language | None = None) -> str:
    """The field's label; an unregistered key is shown as itself rather than failing."""
    labels = _field_labels.get(key)
    if labels is None:
        return key
    return labels[language or _default_language]


def is_defined(code: str) -> bool:
    return code in _templates


@dataclass(frozen=True)
class Problem:
    """One broken (or doubtful) rule, about one field."""

    code: str
    field: str
    severity: Severity = Severity.ERROR
    params: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.code not in _templates:
            raise KeyError(f"message code {self.code!r} is not defined")
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def text(self, language: Language | None = None) -> str:
        lang = language or _default_language
        template = _templates[self.code][lang]
        return template.format(field=field_label(self.field, lang), **self.params)

    def __str__(self) -> str:  # pragma: no cover - convenience for debugging
        return self.text()


def error(code: str, field_key: str, /, **params: object) -> Problem:
    return Problem(code, field_key, Severity.ERROR, params)


def warning(code: str, field_key: str, /, **params: object) -> Problem:
    return Problem(code, field_key, Severity.WARNING, params)


def errors_only(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]


class RuleViolation(Exception):
    """Raised when input breaks one or more rules; carries every problem found.

    Services raise it so the GUI can show each message next to its field and keep
    what the clerk typed; nothing has been written when it is raised.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("RuleViolation needs at least one problem")
        super().__init__("; ".join(p.code + "@" + p.field for p in self.problems))

    def text(self, language: Language | None = None) -> str:
        return "\n".join(p.text(language) for p in self.problems)

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]


def raise_if_errors(problems: Iterable[Problem]) -> None:
    """Raise :class:`RuleViolation` when any problem is an error (warnings pass)."""
    found = errors_only(problems)
    if found:
        raise RuleViolation(found)


@dataclass(frozen=True)
class Checked(Generic[T]):
    """A validated value (normalised) with the problems found on the way.

    ``value`` is ``None`` when an error made the input unusable; warnings keep it.
    """

    value: T | None
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return self.value is not None and not any(p.is_error for p in self.problems)

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    def unwrap(self) -> T:
        """The value, or :class:`RuleViolation` with the errors found."""
        raise_if_errors(self.problems)
        if self.value is None:  # an error-free check must always carry a value
            raise AssertionError("Checked without value and without errors")
        return self.value


def passed(value: T, *warnings_found: Problem) -> Checked[T]:
    return Checked(value, tuple(warnings_found))


def failed(*problems: Problem) -> Checked[T]:
    return Checked(None, tuple(problems))
