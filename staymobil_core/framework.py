"""Load and validate a reference framework from its YAML file.

A framework is data: phases, core activities, domains, answer scale, bands
and indicators all come from the file, so an organisation can bring its own.
`parse_framework` checks every rule and raises `FrameworkError` naming the
file, the item and the rule it breaks.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from staymobil_core.errors import FrameworkError

BUNDLED_DIR = Path(__file__).resolve().parent.parent / "data" / "frameworks"
BUNDLED_FILE = BUNDLED_DIR / "staymobil-2026.1.yaml"


@dataclass(frozen=True, slots=True)
class AnswerOption:
    code: str
    label: str
    # None marks "not applicable": the indicator is left out of the score.
    value: float | None


@dataclass(frozen=True, slots=True)
class Band:
    code: str
    label: str
    min_score: float


@dataclass(frozen=True, slots=True)
class CoreActivity:
    id: str
    name: str
    phase_id: str


@dataclass(frozen=True, slots=True)
class Phase:
    id: str
    name: str
    when: str
    core_activities: tuple[CoreActivity, ...]


@dataclass(frozen=True, slots=True)
class Domain:
    """An ISO 26000 core subject, a dimension, or another named reference."""

    id: str
    name: str
    clause: str = ""


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    name: str
    purpose: str


@dataclass(frozen=True, slots=True)
class Indicator:
    id: str
    phase_id: str
    core_activity_id: str
    statement: str
    guidance: str
    iso_subjects: tuple[str, ...]
    dimension: str
    eqavet: tuple[int, ...]
    charter: tuple[int, ...]
    sources: tuple[str, ...]
    actors: tuple[str, ...]
    weight: float
    allow_na: bool


@dataclass(frozen=True, slots=True)
class Framework:
    id: str
    version: str
    title: str
    notice: str
    answer_scale: tuple[AnswerOption, ...]
    bands: tuple[Band, ...]
    strength_threshold: float
    actor_types: tuple[Domain, ...]
    phases: tuple[Phase, ...]
    iso_subjects: tuple[Domain, ...]
    dimensions: tuple[Domain, ...]
    eqavet_indicators: tuple[Domain, ...]
    charter_principles: tuple[Domain, ...]
    sources: tuple[Source, ...]
    indicators: tuple[Indicator, ...]
    document: dict[str, Any] = field(repr=False, compare=False)
    _by_id: dict[str, Indicator] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Frozen dataclass: set the derived index through object.__setattr__.
        object.__setattr__(self, "_by_id", {i.id: i for i in self.indicators})

    @property
    def core_activities(self) -> tuple[CoreActivity, ...]:
        return tuple(ca for phase in self.phases for ca in phase.core_activities)

    @property
    def content_sha256(self) -> str:
        canonical = json.dumps(self.document, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def option(self, code: str) -> AnswerOption | None:
        return next((o for o in self.answer_scale if o.code == code), None)

    def indicator(self, indicator_id: str) -> Indicator | None:
        return self._by_id.get(indicator_id)

    def indicators_for(self, actor_type: str) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if actor_type in i.actors)

    def band_for(self, score: float | None) -> Band | None:
        if score is None:
            return None
        reached = [b for b in self.bands if score >= b.min_score]
        return reached[-1] if reached else self.bands[0]


def load_framework(path: str | Path) -> Framework:
    """Read a framework YAML file and return it validated."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FrameworkError(
            f"Framework file '{path}' was not found. Check the path, or put the "
            f"file under {BUNDLED_DIR}."
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FrameworkError(
            f"Framework file '{path}' cannot be read ({exc}). Save it as UTF-8 text."
        ) from None

    try:
        document = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise FrameworkError(
            f"Framework file '{path.name}' is not valid YAML{where}: {problem}. "
            "Fix the syntax there and start the app again."
        ) from None
    return parse_framework(document, source=path.name)


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe YAML loader that rejects a key given twice in one mapping.

    Plain YAML keeps the last value silently, so a second 'weight:' line would
    change an indicator without anyone noticing.
    """

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, (str, int, float, bool)) or key is None:
                continue  # SafeLoader itself rejects keys that cannot be hashed.
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"key {key!r} appears twice in one mapping",
                    key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def load_bundled_framework() -> Framework:
    return load_framework(BUNDLED_FILE)


def parse_framework(document: Any, source: str = "<framework>") -> Framework:
    """Validate a framework document (as read from YAML or JSON) and build it."""
    check = _Checker(source)
    if not isinstance(document, dict):
        check.fail("the top level", "must be a mapping with keys such as 'id'")
    # Work on a JSON-shaped copy: YAML dates become text, the content hash is
    # stable, and later changes to the caller's dict do not leak in.
    document = json.loads(json.dumps(document, default=str))

    framework_id = check.text(document, "id", "the top level")
    version = check.text(document, "version", "the top level")
    scale = _parse_scale(check, document)
    bands = _parse_bands(check, document)
    phases = _parse_phases(check, document)
    actor_types = _parse_domains(check, document, "actor_types")
    iso_subjects = _parse_domains(check, document, "iso_subjects")
    dimensions = _parse_domains(check, document, "dimensions")
    eqavet = _parse_domains(check, document, "eqavet_indicators", numbered=True)
    charter = _parse_domains(check, document, "charter_principles", numbered=True)
    sources = _parse_sources(check, document)
    lists = _ReferenceLists(
        phases=phases,
        actor_types={d.id for d in actor_types},
        iso_subjects={d.id for d in iso_subjects},
        dimensions={d.id for d in dimensions},
        eqavet={int(d.id) for d in eqavet},
        charter={int(d.id) for d in charter},
        sources={s.id for s in sources},
    )
    indicators = _parse_indicators(check, document, lists)

    threshold = document.get("strength_threshold", _default_threshold(bands))
    check.score(threshold, "strength_threshold", "the top level")
    return Framework(
        id=framework_id,
        version=version,
        title=str(document.get("title") or framework_id),
        notice=str(document.get("notice") or ""),
        answer_scale=scale,
        bands=bands,
        strength_threshold=float(threshold),
        actor_types=actor_types,
        phases=phases,
        iso_subjects=iso_subjects,
        dimensions=dimensions,
        eqavet_indicators=eqavet,
        charter_principles=charter,
        sources=sources,
        indicators=indicators,
        document=document,
    )


class _Checker:
    """Raise `FrameworkError` with the file, the item and the broken rule."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, item: str, rule: str) -> None:
        raise FrameworkError(
            f"Framework file '{self.source}', {item}: {rule}. Correct the file and "
            "load it again; the framework was not stored."
        )

    def text(self, mapping: dict, key: str, item: str) -> str:
        value = mapping.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            self.fail(item, f"'{key}' is missing or empty")
        if isinstance(value, bool):
            # YAML 1.1 reads unquoted yes/no/on/off as booleans.
            self.fail(item, f"'{key}' must be text, got {value!r}; put it in quotes")
        if not isinstance(value, (str, int, float)):
            self.fail(item, f"'{key}' must be text, got {value!r}")
        return str(value).strip()

    def items(self, mapping: dict, key: str) -> list:
        value = mapping.get(key)
        if not isinstance(value, list) or not value:
            self.fail(f"'{key}'", "must be a non-empty list")
        for position, entry in enumerate(value, start=1):
            if not isinstance(entry, dict):
                self.fail(f"'{key}' item {position}", "must be a mapping")
        return value

    def unique(self, seen: set, value: Any, item: str) -> None:
        if value in seen:
            self.fail(item, f"duplicate id '{value}'")
        seen.add(value)

    def score(self, value: Any, key: str, item: str) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(item, f"'{key}' must be a number from 0 to 100, got {value!r}")
        if not 0 <= value <= 100:
            self.fail(item, f"'{key}' {value!r} is outside 0..100")


@dataclass(frozen=True, slots=True)
class _ReferenceLists:
    phases: tuple[Phase, ...]
    actor_types: set[str]
    iso_subjects: set[str]
    dimensions: set[str]
    eqavet: set[int]
    charter: set[int]
    sources: set[str]


def _parse_scale(check: _Checker, document: dict) -> tuple[AnswerOption, ...]:
    options: list[AnswerOption] = []
    seen: set[str] = set()
    for entry in check.items(document, "answer_scale"):
        code = check.text(entry, "code", "an 'answer_scale' entry")
        item = f"answer '{code}'"
        check.unique(seen, code, item)
        value = entry.get("value")
        if value is not None:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                check.fail(item, f"value must be a number from 0 to 1, got {value!r}")
            if not 0 <= value <= 1:
                check.fail(item, f"value {value!r} is outside 0..1")
            value = float(value)
        label = check.text(entry, "label", item)
        options.append(AnswerOption(code=code, label=label, value=value))

    if not any(o.value is not None for o in options):
        check.fail("'answer_scale'", "needs at least one answer with a value")
    return tuple(options)


def _parse_bands(check: _Checker, document: dict) -> tuple[Band, ...]:
    bands: list[Band] = []
    seen: set[str] = set()
    for entry in check.items(document, "bands"):
        code = check.text(entry, "code", "a 'bands' entry")
        item = f"band '{code}'"
        check.unique(seen, code, item)
        check.score(entry.get("min_score"), "min_score", item)
        if bands and entry["min_score"] <= bands[-1].min_score:
            check.fail(item, "bands must be listed with rising 'min_score'")
        bands.append(Band(code, check.text(entry, "label", item), entry["min_score"]))

    if bands[0].min_score != 0:
        check.fail(f"band '{bands[0].code}'", "the first band must start at 0")
    return tuple(bands)


def _default_threshold(bands: tuple[Band, ...]) -> float:
    # Without an explicit threshold, the upper half of the bands are strengths.
    return bands[len(bands) // 2].min_score if len(bands) > 1 else 50.0


def _parse_phases(check: _Checker, document: dict) -> tuple[Phase, ...]:
    phases: list[Phase] = []
    seen: set[str] = set()
    for entry in check.items(document, "phases"):
        phase_id = check.text(entry, "id", "a 'phases' entry")
        item = f"phase '{phase_id}'"
        check.unique(seen, phase_id, item)
        activities = []
        for activity in check.items(entry, "core_activities"):
            activity_id = check.text(activity, "id", f"a core activity of {item}")
            check.unique(seen, activity_id, f"core activity '{activity_id}'")
            name = check.text(activity, "name", f"core activity '{activity_id}'")
            activities.append(CoreActivity(activity_id, name, phase_id))
        name = check.text(entry, "name", item)
        when = str(entry.get("when") or "")
        phases.append(Phase(phase_id, name, when, tuple(activities)))
    return tuple(phases)


def _parse_domains(
    check: _Checker, document: dict, key: str, numbered: bool = False
) -> tuple[Domain, ...]:
    domains: list[Domain] = []
    seen: set[str] = set()
    for entry in check.items(document, key):
        raw_id = entry.get("id")
        if numbered and (isinstance(raw_id, bool) or not isinstance(raw_id, int)):
            check.fail(f"'{key}' item {raw_id!r}", "'id' must be a whole number")
        domain_id = check.text(entry, "id", f"a '{key}' entry")
        item = f"'{key}' item '{domain_id}'"
        check.unique(seen, domain_id, item)
        name = check.text(entry, "name", item)
        domains.append(Domain(domain_id, name, str(entry.get("clause") or "")))
    return tuple(domains)


def _parse_sources(check: _Checker, document: dict) -> tuple[Source, ...]:
    sources: list[Source] = []
    seen: set[str] = set()
    for entry in document.get("sources") or []:
        if not isinstance(entry, dict):
            check.fail("'sources'", "every item must be a mapping")
        source_id = check.text(entry, "id", "a 'sources' entry")
        item = f"source '{source_id}'"
        check.unique(seen, source_id, item)
        name = check.text(entry, "name", item)
        sources.append(Source(source_id, name, str(entry.get("purpose") or "")))
    return tuple(sources)


def _parse_indicators(
    check: _Checker, document: dict, lists: _ReferenceLists
) -> tuple[Indicator, ...]:
    phase_of = {ca.id: p.id for p in lists.phases for ca in p.core_activities}
    indicators: list[Indicator] = []
    seen: set[str] = set()
    for entry in check.items(document, "indicators"):
        indicator_id = check.text(entry, "id", "an 'indicators' entry")
        item = f"indicator '{indicator_id}'"
        check.unique(seen, indicator_id, item)
        indicators.append(_parse_indicator(check, entry, item, lists, phase_of))
    return tuple(indicators)


def _parse_indicator(
    check: _Checker,
    entry: dict,
    item: str,
    lists: _ReferenceLists,
    phase_of: dict[str, str],
) -> Indicator:
    activity = check.text(entry, "core_activity", item)
    if activity not in phase_of:
        check.fail(
            item,
            f"unknown core activity '{activity}'; known: {', '.join(phase_of)}",
        )
    dimension = check.text(entry, "dimension", item)
    if dimension not in lists.dimensions:
        check.fail(
            item,
            f"dimension '{dimension}' is not in 'dimensions' "
            f"({', '.join(sorted(lists.dimensions))})",
        )

    def tags(key: str, allowed: set, required: bool = False) -> tuple:
        value = entry.get(key, [])
        if not isinstance(value, list):
            check.fail(item, f"'{key}' must be a list, got {value!r}")
        if required and not value:
            check.fail(item, f"'{key}' needs at least one entry")
        for tag in value:
            if isinstance(tag, (list, dict)) or tag not in allowed:
                shown = ", ".join(str(a) for a in sorted(allowed))
                check.fail(item, f"'{key}' tag {tag!r} is not in the list ({shown})")
        if len(set(value)) != len(value):
            check.fail(item, f"'{key}' lists a tag twice")
        return tuple(value)

    weight = entry.get("weight", 1)
    if (
        isinstance(weight, bool)
        or not isinstance(weight, (int, float))
        or not math.isfinite(weight)
        or weight <= 0
    ):
        check.fail(item, f"'weight' must be a positive number, got {weight!r}")
    allow_na = entry.get("allow_na", False)
    if not isinstance(allow_na, bool):
        check.fail(item, f"'allow_na' must be true or false, got {allow_na!r}")

    return Indicator(
        id=str(entry["id"]).strip(),
        phase_id=phase_of[activity],
        core_activity_id=activity,
        statement=check.text(entry, "statement", item),
        guidance=str(entry.get("guidance") or "").strip(),
        iso_subjects=tags("iso_subjects", lists.iso_subjects, required=True),
        dimension=dimension,
        eqavet=tags("eqavet", lists.eqavet),
        charter=tags("charter", lists.charter),
        sources=tags("sources", lists.sources),
        actors=tags("actors", lists.actor_types, required=True),
        weight=float(weight),
        allow_na=allow_na,
    )
