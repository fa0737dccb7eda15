"""Lint configuration: which rules run, at which level, with which options.

Two places can hold it; the first one found walking up from the linted file
(then from the working directory) wins:

``.journeymap.yaml`` (or ``.journeymap.yml``), read with the safe YAML reader::

    lint:
      rules:
        dead-end: off
        shares-unaccounted: {level: error, min_share: 0.6}

``pyproject.toml``, only if it has a ``[tool.journeymap.lint]`` table::

    [tool.journeymap.lint.rules]
    dead-end = "off"
    shares-unaccounted = { level = "error", min_share = 0.6 }

A rule's value is a level (``off``, ``warning``, ``error``; ``false`` means
off, ``true`` the rule's default level) or a mapping of ``level`` and the
rule's options. Unknown rules and options are errors with a "did you mean"
hint, at the config file's line and column.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from ..files import read_bytes
from ..problems import Level, Problem, Span, did_you_mean
from ..yamlio import YMap, decode, parse, position_of

YAML_NAMES = (".journeymap.yaml", ".journeymap.yml")
PYPROJECT = "pyproject.toml"
LEVEL_WORDS = ("off", "warning", "error")
CODE = "lint-config"

Locate = Callable[[tuple[str, ...]], tuple[int, int]]


@dataclass(frozen=True)
class RuleConfig:
    """What a config file says about one rule. ``level`` None means "the rule's default"."""

    enabled: bool = True
    level: Level | None = None
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class LintConfig:
    """Rule settings that differ from the defaults, and the file they came from."""

    rules: Mapping[str, RuleConfig] = field(default_factory=dict)
    source: str | None = None

    def settings(self, rule: ModuleType) -> tuple[Level | None, dict[str, Any]]:
        """``(level, options)`` for a rule module; level None when the rule is off."""
        options = dict(getattr(rule, "CONF", {}))
        said = self.rules.get(rule.ID)
        if said is None:
            return rule.LEVEL, options
        options.update(said.options)
        if not said.enabled:
            return None, options
        return said.level or rule.LEVEL, options


# -- reading --------------------------------------------------------------------------


def config_from_data(data: Any, name: str = "<config>", locate: Locate | None = None) -> tuple[LintConfig, list[Problem]]:
    """Check the contents of a ``lint`` table and turn it into a :class:`LintConfig`.

    ``locate(path)`` gives the line and column of a key path such as
    ``("rules", "dead-end", "level")``, for the problems' positions.

    >>> config, problems = config_from_data({"rules": {"dead-end": "off"}})
    >>> config.rules["dead-end"].enabled, problems
    (False, [])
    """
    from . import RULES, SUPERSEDED_LOADER_CODES

    problems: list[Problem] = []

    def report(path: tuple[str, ...], message: str, hint: str | None = None) -> None:
        line, col = locate(path) if locate is not None else (0, 0)
        problems.append(Problem(Span(name, line, col), CODE, message, hint))

    if data is None:
        return LintConfig(source=name), problems
    if not isinstance(data, Mapping):
        report((), "the lint configuration must be a mapping with a 'rules' key")
        return LintConfig(source=name), problems
    for key in data:
        if key != "rules":
            report((str(key),), f"unknown lint setting '{key}'", did_you_mean(str(key), ["rules"]) or "the lint settings hold 'rules' only")
    rules_data = data.get("rules")
    if rules_data is None:
        return LintConfig(source=name), problems
    if not isinstance(rules_data, Mapping):
        report(("rules",), "'rules' must be a mapping of rule id -> level or settings", "e.g. rules: {dead-end: off}")
        return LintConfig(source=name), problems
    rules: dict[str, RuleConfig] = {}
    for rule_id, value in rules_data.items():
        rule_id = str(rule_id)
        path = ("rules", rule_id)
        rule = RULES.get(rule_id)
        if rule is None:
            if rule_id in SUPERSEDED_LOADER_CODES:
                hint: str | None = f"did you mean '{SUPERSEDED_LOADER_CODES[rule_id]}'?"
            else:
                hint = did_you_mean(rule_id, RULES) or "journeymap lint --list-rules shows the rules"
            report(path, f"unknown lint rule '{rule_id}'", hint)
            continue
        setting = _rule_setting(rule, value, path, report)
        if setting is not None:
            rules[rule_id] = setting
    return LintConfig(rules, source=name), problems


def _level(value: Any) -> tuple[bool, Level | None] | None:
    """``(enabled, level)`` for a level word or a boolean; None if it is neither."""
    if value is True:
        return True, None
    if value is False:
        return False, None
    if isinstance(value, str) and value.strip().lower() in LEVEL_WORDS:
        word = value.strip().lower()
        if word == "off":
            return False, None
        return True, "error" if word == "error" else "warning"
    return None


def _rule_setting(
    rule: ModuleType, value: Any, path: tuple[str, ...], report: Callable[..., None]
) -> RuleConfig | None:
    levels_hint = "a level is off, warning or error (or false / true)"
    if not isinstance(value, Mapping):
        level = _level(value)
        if level is None:
            report(path, f"rule '{rule.ID}': {value!r} is not a level", levels_hint)
            return None
        return RuleConfig(level[0], level[1])
    enabled, level_value = True, None
    options: dict[str, Any] = {}
    defaults: dict[str, Any] = dict(getattr(rule, "CONF", {}))
    for key, option in value.items():
        key = str(key)
        if key == "level":
            level = _level(option)
            if level is None:
                report((*path, key), f"rule '{rule.ID}': {option!r} is not a level", levels_hint)
                continue
            enabled, level_value = level
            continue
        if key not in defaults:
            known = ["level", *defaults]
            from ..loader import split_number_hint

            hint = (split_number_hint(value, key)  # `{min_share: 0,6}`
                    or did_you_mean(key, known) or f"'{rule.ID}' takes {', '.join(known)}")
            report((*path, key), f"rule '{rule.ID}' has no option '{key}'", hint)
            continue
        default = defaults[key]
        if not _same_kind(option, default):
            kind = "true or false" if isinstance(default, bool) else "a number"
            report((*path, key), f"rule '{rule.ID}': option '{key}' must be {kind}, not {option!r}", f"the default is {default!r}")
            continue
        options[key] = option
    return RuleConfig(enabled, level_value, options)


def _same_kind(value: Any, default: Any) -> bool:
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, (int, float)):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, type(default))


def _display(path: Path) -> str:
    from ..loader import display_name

    return display_name(path)


def read_yaml_config(path: Path) -> tuple[LintConfig, list[Problem]]:
    """Read ``.journeymap.yaml``: its ``lint`` key holds the lint settings."""
    name = _display(path)
    try:
        raw = read_bytes(path)
    except OSError as exc:
        return LintConfig(source=name), [Problem(Span(name), CODE, f"cannot read the config file: {exc.strerror or exc}")]
    text, problems = decode(raw, name)
    if text is None:
        return LintConfig(source=name), problems
    data, problems = parse(text, name)
    if problems:
        return LintConfig(source=name), problems
    if data is None:
        return LintConfig(source=name), []
    if not isinstance(data, YMap):
        return LintConfig(source=name), [
            Problem(Span(name, 1, 1), CODE, "a .journeymap.yaml file is a mapping (e.g. 'lint: {rules: {...}}')")
        ]
    if "rules" in data and "lint" not in data:
        line, col = data.key_position("rules")
        return LintConfig(source=name), [
            Problem(Span(name, line, col), CODE, "'rules' belongs under 'lint:'", "write 'lint:' and indent 'rules:' under it")
        ]
    lint_data = data.get("lint")
    lint_line, lint_col = data.value_position("lint")

    def locate(key_path: tuple[str, ...]) -> tuple[int, int]:
        if not key_path:
            return lint_line, lint_col
        return position_of(data, ("lint", *key_path), key=True)

    return config_from_data(lint_data, name, locate)


_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


def read_pyproject_config(path: Path) -> tuple[LintConfig | None, list[Problem]]:
    """Read ``[tool.journeymap.lint]`` from a pyproject.toml; None when it has no such table."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib

    name = _display(path)
    try:
        text = read_bytes(path).decode("utf-8")
        document = tomllib.loads(text)
    except OSError as exc:
        return None, [Problem(Span(name), CODE, f"cannot read the file: {exc.strerror or exc}")]
    except UnicodeDecodeError:
        return None, [Problem(Span(name), CODE, "the file is not UTF-8")]
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_POSITION.search(str(exc))
        line, col = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
        message = _TOML_POSITION.sub("", str(exc)).strip()
        return None, [Problem(Span(name, line, col), CODE, f"invalid TOML: {message}")]
    tool = document.get("tool", {})
    section = tool.get("journeymap", {}) if isinstance(tool, dict) else {}
    if not isinstance(section, dict) or "lint" not in section:
        return None, []
    return config_from_data(section["lint"], name, _toml_locator(text))


def _toml_locator(text: str) -> Locate:
    """Find a key path in TOML text (tomllib keeps no positions): a careful text search."""
    lines = text.splitlines()

    def locate(key_path: tuple[str, ...]) -> tuple[int, int]:
        start = 0
        header = re.compile(r"^\s*\[\s*tool\s*\.\s*journeymap\s*\.\s*lint\b")
        for index, line in enumerate(lines):
            if header.match(line):
                start = index
                break
        found = (start + 1, 1)
        offset = 0
        for key in key_path:
            token = re.compile(r'(?<![\w-])["\']?' + re.escape(key) + r'["\']?(?![\w-])')
            for index in range(start, len(lines)):
                match = token.search(lines[index], offset if index == start else 0)
                if match and not lines[index].lstrip().startswith("#"):
                    start, offset = index, match.end()
                    found = (index + 1, match.start() + 1)
                    break
            else:
                break
        return found

    return locate


def read_config(path: str | Path) -> tuple[LintConfig, list[Problem]]:
    """Read a config file named on the command line (``--config``)."""
    path = Path(path)
    if path.name.endswith(".toml"):
        config, problems = read_pyproject_config(path)
        if config is None and not problems:
            problems = [Problem(Span(_display(path)), CODE, "the file has no [tool.journeymap.lint] table")]
        return config or LintConfig(source=_display(path)), problems
    return read_yaml_config(path)


class ConfigFinder:
    """Finds the config for each linted file, reading each config file once."""

    def __init__(self, cwd: Path | None = None) -> None:
        self.cwd = (cwd or Path.cwd()).resolve()
        self._by_folder: dict[Path, tuple[LintConfig, list[Problem]] | None] = {}

    def _in_folder(self, folder: Path) -> tuple[LintConfig, list[Problem]] | None:
        if folder in self._by_folder:
            return self._by_folder[folder]
        found: tuple[LintConfig, list[Problem]] | None = None
        for yaml_name in YAML_NAMES:
            if (folder / yaml_name).is_file():
                found = read_yaml_config(folder / yaml_name)
                break
        else:
            if (folder / PYPROJECT).is_file():
                config, problems = read_pyproject_config(folder / PYPROJECT)
                if config is not None or problems:
                    found = (config or LintConfig(source=_display(folder / PYPROJECT)), problems)
        self._by_folder[folder] = found
        return found

    def _walk(self, start: Path) -> tuple[LintConfig, list[Problem]] | None:
        for folder in (start, *start.parents):
            found = self._in_folder(folder)
            if found is not None:
                return found
        return None

    def for_file(self, path: str | Path) -> tuple[LintConfig, list[Problem]]:
        """The config that applies to ``path`` (defaults when none is found) and its problems."""
        start = Path(os.path.realpath(path)).parent  # not resolve(): a symlink loop raised RuntimeError
        return self._walk(start) or self._walk(self.cwd) or (LintConfig(), [])
