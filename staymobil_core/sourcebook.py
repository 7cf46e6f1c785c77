"""Link the framework's indicators to the European references they draw on.

The Charter, EQAVET and ISO 26000 are linked through an indicator's own tags
(charter principles, EQAVET indicators, ISO core subjects); the other
references through its `sources` list.
"""

from __future__ import annotations

from dataclasses import dataclass

from staymobil_core.framework import Framework, Indicator, Source

CHARTER = "charter"
EQAVET = "eqavet"
ISO_26000 = "iso26000"


@dataclass(frozen=True, slots=True)
class SourceEntry:
    source: Source
    indicators: tuple[Indicator, ...]


def sourcebook(framework: Framework) -> list[SourceEntry]:
    """Return each reference with the indicators that refer to it."""
    return [
        SourceEntry(
            source, tuple(i for i in framework.indicators if _refers(i, source.id))
        )
        for source in framework.sources
    ]


def indicator_references(framework: Framework, indicator: Indicator) -> list[str]:
    """Return readable references of one indicator, for example 'EQAVET 3: ...'."""
    charter = {int(d.id): d.name for d in framework.charter_principles}
    eqavet = {int(d.id): d.name for d in framework.eqavet_indicators}
    subjects = {d.id: d for d in framework.iso_subjects}
    names = {s.id: s.name for s in framework.sources}

    references = [
        f"Quality Charter principle {n}: {charter[n]}" for n in indicator.charter
    ]
    references += [f"EQAVET indicator {n}: {eqavet[n]}" for n in indicator.eqavet]
    references += [
        f"ISO 26000 {subjects[s].clause} {subjects[s].name}".replace("  ", " ")
        for s in indicator.iso_subjects
    ]
    linked_by_tags = {CHARTER, EQAVET, ISO_26000}
    references += [names[s] for s in indicator.sources if s not in linked_by_tags]
    return references


def _refers(indicator: Indicator, source_id: str) -> bool:
    if source_id in indicator.sources:
        return True
    if source_id == CHARTER:
        return bool(indicator.charter)
    if source_id == EQAVET:
        return bool(indicator.eqavet)
    # Every indicator carries at least one ISO 26000 core subject.
    return source_id == ISO_26000
