"""Benchmark the Results page's core path against a bare DuckDB query.

Generates organisations, audits and answers against the bundled framework in
a fresh DuckDB file, then times `results.audit_results` plus both heatmap
frames for one audit at a time, the same audits through one GROUP BY query,
and the parts of the core path separately. Exits with status 1 when a target
fails, and 2 when the bundled framework has no indicators. Run from the
repository root: `python bench/run.py`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from staymobil_core import audits, results  # noqa: E402
from staymobil_core.database import connect, transaction  # noqa: E402
from staymobil_core.framework import Framework, load_bundled_framework  # noqa: E402
from staymobil_core.framework_store import (  # noqa: E402
    register_framework,
    stored_framework,
)
from staymobil_core.organisations import (  # noqa: E402
    ORGANISATION_SIZES,
    ORGANISATION_TYPES,
    name_key,
)
from staymobil_core.scoring import score_audit  # noqa: E402

SEED = 42
WARMUP_RUNS = 5
# Targets for one audit on the Results page.
TARGET_CORE_MS = 50.0
TARGET_MAX_RATIO = 3.0

COUNTRIES = ("Slovenia", "Austria", "Italy", "Spain", "Finland", "Poland", "Ireland")
FIRST_AUDIT_YEAR = 2022
# Chance that an indicator is still open. The latest audit of each
# organisation stays a draft, so it has more open indicators.
OPEN_IN_COMPLETE = 0.02
OPEN_IN_DRAFT = 0.15
NOT_APPLICABLE = 0.12

BARE_QUERY = (
    "SELECT i.core_activity_id, sum(i.weight * a.answer_value) / sum(i.weight), "
    "count(*) FROM answers a JOIN indicators i ON i.framework_id = ? "
    "AND i.version = ? AND i.indicator_id = a.indicator_id "
    "WHERE a.audit_id = ? AND a.answer_value IS NOT NULL GROUP BY 1"
)


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--organisations",
        type=int,
        default=1000,
        help="number of organisations to generate (default 1000)",
    )
    parser.add_argument(
        "--audits",
        type=int,
        default=5,
        help="audits per organisation, one per year (default 5)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=200,
        help="timed runs of each measurement, one audit per run (default 200)",
    )
    parser.add_argument(
        "--db",
        type=Path,
        help="DuckDB file to create and keep, which must not exist yet "
        "(default: a temporary file, deleted at the end)",
    )
    arguments = parser.parse_args()
    for name in ("organisations", "audits", "repeat"):
        if getattr(arguments, name) < 1:
            parser.error(f"--{name} must be at least 1, got {getattr(arguments, name)}")
    if arguments.db is not None and arguments.db.exists():
        parser.error(
            f"--db file '{arguments.db}' already exists. Give a new path, or delete "
            "the file first."
        )
    return arguments


# Data generation


def generate(
    con: duckdb.DuckDBPyConnection,
    framework: Framework,
    organisation_count: int,
    audits_per_organisation: int,
) -> None:
    """Insert organisations, audits, audit teams and answers in one transaction."""
    rng = random.Random(SEED)
    stamp = dt.datetime(2026, 1, 1, 12)
    with transaction(con) as cur:
        organisation_ids = _next_ids(cur, "organisation_ids", organisation_count)
        organisation_types = [
            ORGANISATION_TYPES[n % len(ORGANISATION_TYPES)]
            for n in range(organisation_count)
        ]
        _insert_organisations(cur, organisation_ids, organisation_types, rng, stamp)

        audit_count = organisation_count * audits_per_organisation
        audit_ids = _next_ids(cur, "audit_ids", audit_count)
        audit_rows = []
        for n, audit_id in enumerate(audit_ids):
            organisation_index, year_index = divmod(n, audits_per_organisation)
            audit_rows.append(
                (
                    audit_id,
                    organisation_ids[organisation_index],
                    organisation_types[organisation_index],
                    year_index,
                    year_index == audits_per_organisation - 1,
                )
            )
        _insert_audits(cur, framework, audit_rows, rng, stamp)
        _insert_team(cur, audit_ids, rng)
        _insert_answers(cur, framework, audit_rows, rng, stamp)


def _next_ids(cur: duckdb.DuckDBPyConnection, sequence: str, count: int) -> list[int]:
    """Draw ids from the table's sequence, so the app's later inserts continue it."""
    rows = cur.execute(f"SELECT nextval('{sequence}') FROM range(?)", [count])
    return sorted(row[0] for row in rows.fetchall())


def _insert_table(cur: duckdb.DuckDBPyConnection, table: str, frame: pa.Table) -> None:
    """Insert an Arrow table by column name."""
    columns = ", ".join(frame.column_names)
    cur.register("bench_rows", frame)
    cur.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM bench_rows")
    cur.unregister("bench_rows")


def _insert_organisations(
    cur: duckdb.DuckDBPyConnection,
    organisation_ids: list[int],
    organisation_types: list[str],
    rng: random.Random,
    stamp: dt.datetime,
) -> None:
    names = [f"Benchmark organisation {n:06d}" for n in range(len(organisation_ids))]
    count = len(names)
    frame = pa.table(
        {
            "organisation_id": pa.array(organisation_ids, pa.int32()),
            "name": names,
            "name_key": [name_key(name) for name in names],
            "country": [rng.choice(COUNTRIES) for _ in range(count)],
            "organisation_type": organisation_types,
            "size": [rng.choice(ORGANISATION_SIZES) for _ in range(count)],
            "contact_person": [f"Contact {n:06d}" for n in range(count)],
            "contact_email": [f"quality{n:06d}@example.org" for n in range(count)],
            "is_example": [False] * count,
            "created_at": [stamp] * count,
            "updated_at": [stamp] * count,
        }
    )
    _insert_table(cur, "organisations", frame)


def _insert_audits(
    cur: duckdb.DuckDBPyConnection,
    framework: Framework,
    audit_rows: list[tuple[int, int, str, int, bool]],
    rng: random.Random,
    stamp: dt.datetime,
) -> None:
    dates = [
        dt.date(FIRST_AUDIT_YEAR + year_index, rng.randint(1, 12), rng.randint(1, 28))
        for _, _, _, year_index, _ in audit_rows
    ]
    completed = [
        None if latest else dt.datetime.combine(date, dt.time(12))
        for (_, _, _, _, latest), date in zip(audit_rows, dates, strict=True)
    ]
    count = len(audit_rows)
    frame = pa.table(
        {
            "audit_id": pa.array([row[0] for row in audit_rows], pa.int32()),
            "organisation_id": pa.array([row[1] for row in audit_rows], pa.int32()),
            "framework_id": [framework.id] * count,
            "framework_version": [framework.version] * count,
            # The app records the organisation's type when the audit starts.
            "actor_type": [row[2] for row in audit_rows],
            "audit_date": pa.array(dates, pa.date32()),
            "status": [
                audits.DRAFT if row[4] else audits.COMPLETE for row in audit_rows
            ],
            "created_at": [stamp] * count,
            "updated_at": [stamp] * count,
            "completed_at": pa.array(completed, pa.timestamp("us")),
        }
    )
    _insert_table(cur, "audits", frame)


def _insert_team(
    cur: duckdb.DuckDBPyConnection, audit_ids: list[int], rng: random.Random
) -> None:
    """Give each audit a lead and up to three members, as `get_audit` reads them."""
    rows: dict[str, list] = {
        "audit_id": [],
        "position": [],
        "name": [],
        "role": [],
        "department": [],
    }
    for audit_id in audit_ids:
        for position in range(1 + rng.randint(0, 3)):
            rows["audit_id"].append(audit_id)
            rows["position"].append(position)
            rows["name"].append(f"Team member {audit_id}-{position}")
            rows["role"].append("lead" if position == 0 else "member")
            rows["department"].append(rng.choice(("Quality", "International", "")))
    frame = pa.table(
        {
            **rows,
            "audit_id": pa.array(rows["audit_id"], pa.int32()),
            "position": pa.array(rows["position"], pa.int32()),
        }
    )
    _insert_table(cur, "audit_members", frame)


def _insert_answers(
    cur: duckdb.DuckDBPyConnection,
    framework: Framework,
    audit_rows: list[tuple[int, int, str, int, bool]],
    rng: random.Random,
    stamp: dt.datetime,
) -> None:
    """Generate answers for every applicable indicator, some open and some 'na'.

    Half of the open indicators have no row, and half have a row with a NULL
    code and a comment, as `answers.save_notes` stores them.
    """
    values = {o.code: o.value for o in framework.answer_scale}
    rows: dict[str, list] = {
        "audit_id": [],
        "indicator_id": [],
        "answer_code": [],
        "answer_value": [],
        "comment": [],
    }
    maturity: dict[int, float] = {}
    for audit_id, organisation_id, actor_type, year_index, latest in audit_rows:
        if organisation_id not in maturity:
            maturity[organisation_id] = rng.uniform(0.3, 0.8)
        chance_yes = min(maturity[organisation_id] + 0.04 * year_index, 0.95)
        open_chance = OPEN_IN_DRAFT if latest else OPEN_IN_COMPLETE
        for indicator in framework.indicators_for(actor_type):
            draw = rng.random()
            comment = ""
            if draw < open_chance:
                if draw < open_chance / 2:
                    continue
                code = None
                comment = "Evidence still being collected."
            elif indicator.allow_na and rng.random() < NOT_APPLICABLE:
                code = "na"
            else:
                answer_draw = rng.random()
                if answer_draw < chance_yes:
                    code = "yes"
                elif answer_draw < chance_yes + (1 - chance_yes) * 0.6:
                    code = "partly"
                else:
                    code = "no"
            rows["audit_id"].append(audit_id)
            rows["indicator_id"].append(indicator.id)
            rows["answer_code"].append(code)
            rows["answer_value"].append(values[code] if code is not None else None)
            rows["comment"].append(comment)
    count = len(rows["audit_id"])
    frame = pa.table(
        {
            **rows,
            "audit_id": pa.array(rows["audit_id"], pa.int32()),
            "answer_value": pa.array(rows["answer_value"], pa.float64()),
            "evidence": [""] * count,
            "updated_at": [stamp] * count,
        }
    )
    _insert_table(cur, "answers", frame)


def print_row_counts(con: duckdb.DuckDBPyConnection) -> None:
    for table in ("indicators", "organisations", "audits", "audit_members", "answers"):
        count = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        print(f"  {table:<14} {count:>9,} rows")
    answered, not_applicable, open_rows = con.execute(
        "SELECT count(answer_value), count(*) FILTER (answer_code IS NOT NULL "
        "AND answer_value IS NULL), count(*) FILTER (answer_code IS NULL) FROM answers"
    ).fetchone()
    print(
        f"  answers: {answered:,} with a value, {not_applicable:,} 'na', "
        f"{open_rows:,} open with a comment"
    )
    actor_counts = con.execute(
        "SELECT actor_type, count(*) FROM audits GROUP BY 1 ORDER BY 1"
    ).fetchall()
    print("  audits by actor type: " + ", ".join(f"{a} {n:,}" for a, n in actor_counts))


# Timing


@dataclass(frozen=True, slots=True)
class Timing:
    name: str
    milliseconds: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.milliseconds)

    @property
    def p95(self) -> float:
        # Nearest-rank 95th percentile.
        ordered = sorted(self.milliseconds)
        return ordered[math.ceil(0.95 * len(ordered)) - 1]

    @property
    def max(self) -> float:
        return max(self.milliseconds)


def time_per_audit(
    name: str, run: Callable[[int], object], audit_ids: list[int]
) -> Timing:
    """Time `run(audit_id)` once per audit, after a few untimed runs."""
    for audit_id in audit_ids[:WARMUP_RUNS]:
        run(audit_id)
    milliseconds = []
    for audit_id in audit_ids:
        start = time.perf_counter()
        run(audit_id)
        milliseconds.append((time.perf_counter() - start) * 1000)
    return Timing(name, milliseconds)


def time_interleaved(
    first: tuple[str, Callable[[int], object]],
    second: tuple[str, Callable[[int], object]],
    audit_ids: list[int],
) -> tuple[Timing, Timing]:
    """Time two runs per audit, alternating which goes first.

    Interleaving exposes both to the same load from other processes, so their
    ratio stays meaningful on a shared machine. Alternating the order keeps
    either one from always finding the audit's rows freshly read.
    """
    (first_name, run_first), (second_name, run_second) = first, second
    for audit_id in audit_ids[:WARMUP_RUNS]:
        run_first(audit_id)
        run_second(audit_id)
    first_ms: list[float] = []
    second_ms: list[float] = []
    for n, audit_id in enumerate(audit_ids):
        order = [(run_first, first_ms), (run_second, second_ms)]
        if n % 2:
            order.reverse()
        for run, milliseconds in order:
            start = time.perf_counter()
            run(audit_id)
            milliseconds.append((time.perf_counter() - start) * 1000)
    return Timing(first_name, first_ms), Timing(second_name, second_ms)


def pick_audits(con: duckdb.DuckDBPyConnection, count: int) -> list[int]:
    """Return `count` audit ids drawn at random, with a fixed seed, from all audits.

    A fixed stride would hit the same year of every organisation whenever it
    is a multiple of the audits per organisation, and the first year has no
    previous audit to score.
    """
    audit_ids = [
        row[0]
        for row in con.execute(
            "SELECT audit_id FROM audits ORDER BY audit_id"
        ).fetchall()
    ]
    rng = random.Random(SEED)
    if count <= len(audit_ids):
        return rng.sample(audit_ids, count)
    return rng.choices(audit_ids, k=count)


def core_path(con: duckdb.DuckDBPyConnection, audit_id: int) -> None:
    """Read and score one audit, then build the heatmap frames of both layouts."""
    audit_results = results.audit_results(con, audit_id)
    results.heatmap_frame(audit_results, results.ISO_LAYOUT)
    results.heatmap_frame(audit_results, results.DIMENSION_LAYOUT)


def measure_parts(con: duckdb.DuckDBPyConnection, audit_ids: list[int]) -> list[Timing]:
    """Time the steps of `core_path` one by one, with the calls it makes.

    "score_audit previous" costs nothing for an organisation's first audit,
    which has no previous audit.
    """
    prepared: dict[int, results.AuditResults] = {}
    pairs: dict[int, tuple] = {}
    for audit_id in audit_ids:
        audit, previous = audits.audit_and_previous(con, audit_id)
        pairs[audit_id] = (audit, previous)
        prepared[audit_id] = results.audit_results(con, audit_id)

    def answer_ids(audit_id: int) -> list[int]:
        previous = pairs[audit_id][1]
        return [audit_id] + ([previous.audit_id] if previous else [])

    answers = {a: results.answer_codes_by_audit(con, answer_ids(a)) for a in audit_ids}

    def score_previous(audit_id: int) -> None:
        previous = pairs[audit_id][1]
        if previous is None:
            return
        framework = stored_framework(
            con,
            previous.framework_id,
            previous.framework_version,
            previous.framework_sha256,
        )
        score_audit(
            framework, previous.actor_type, answers[audit_id][previous.audit_id]
        )

    steps = [
        ("audit_and_previous", lambda a: audits.audit_and_previous(con, a)),
        (
            "stored_framework (cached)",
            lambda a: stored_framework(
                con,
                pairs[a][0].framework_id,
                pairs[a][0].framework_version,
                pairs[a][0].framework_sha256,
            ),
        ),
        (
            "answer_codes_by_audit",
            lambda a: results.answer_codes_by_audit(con, answer_ids(a)),
        ),
        (
            "score_audit",
            lambda a: score_audit(
                prepared[a].framework, prepared[a].audit.actor_type, prepared[a].answers
            ),
        ),
        ("score_audit previous", score_previous),
        (
            "heatmap_frame iso",
            lambda a: results.heatmap_frame(prepared[a], results.ISO_LAYOUT),
        ),
        (
            "heatmap_frame dimension",
            lambda a: results.heatmap_frame(prepared[a], results.DIMENSION_LAYOUT),
        ),
    ]
    return [time_per_audit(name, run, audit_ids) for name, run in steps]


def print_timings(timings: list[Timing]) -> None:
    print(f"  {'measurement':<40} {'median':>9} {'p95':>9} {'max':>9}")
    for timing in timings:
        print(
            f"  {timing.name:<40} {timing.median:>9.3f} {timing.p95:>9.3f} "
            f"{timing.max:>9.3f}"
        )


def check_targets(core: Timing, bare: Timing) -> bool:
    """Print PASS or FAIL per target and return True when all pass."""
    median_ratio = core.median / bare.median
    p95_ratio = core.p95 / bare.p95
    print(
        f"\nRatio core path / bare query: median {median_ratio:.1f}x, "
        f"p95 {p95_ratio:.1f}x"
    )
    checks = [
        (
            f"core path p95 under {TARGET_CORE_MS:.0f} ms",
            core.p95 < TARGET_CORE_MS,
            f"{core.p95:.2f} ms",
        ),
        (
            f"core path at most {TARGET_MAX_RATIO:.0f}x bare query (median)",
            median_ratio <= TARGET_MAX_RATIO,
            f"{median_ratio:.1f}x",
        ),
        (
            f"core path at most {TARGET_MAX_RATIO:.0f}x bare query (p95)",
            p95_ratio <= TARGET_MAX_RATIO,
            f"{p95_ratio:.1f}x",
        ),
    ]
    print("\nTargets:")
    for label, passed, figure in checks:
        print(f"  {'PASS' if passed else 'FAIL'}  {label}: {figure}")
    return all(passed for _, passed, _ in checks)


def main() -> int:
    arguments = parse_arguments()
    framework = load_bundled_framework()
    if not framework.indicators:
        print(
            "The bundled framework has no indicators, so there is nothing to "
            "benchmark. Fill its 'indicators' list first.",
            file=sys.stderr,
        )
        return 2

    with tempfile.TemporaryDirectory(prefix="staymobil-bench-") as temporary:
        path = arguments.db or Path(temporary) / "bench.duckdb"
        con = connect(path)
        try:
            passed = run_benchmark(con, framework, arguments, path)
        finally:
            con.close()
        peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(f"\nPeak memory (ru_maxrss): {peak_rss / 1024:.0f} MiB")
        print(f"DuckDB file size: {path.stat().st_size / 2**20:.1f} MiB")
    print(
        f"Python {sys.version.split()[0]}, DuckDB {duckdb.__version__}, "
        f"pandas {pd.__version__}"
    )
    return 0 if passed else 1


def run_benchmark(
    con: duckdb.DuckDBPyConnection,
    framework: Framework,
    arguments: argparse.Namespace,
    path: Path,
) -> bool:
    """Generate the data, time the core path and the bare query, print the figures.

    Returns True when every target passes.
    """
    register_framework(con, framework)
    print(
        f"Generating {arguments.organisations:,} organisations x "
        f"{arguments.audits} audits against {framework.id} {framework.version} "
        f"({len(framework.indicators)} indicators) in {path}"
    )
    start = time.perf_counter()
    generate(con, framework, arguments.organisations, arguments.audits)
    print(f"Generation took {time.perf_counter() - start:.2f} s")
    print_row_counts(con)

    audit_ids = pick_audits(con, arguments.repeat)
    core, bare = time_interleaved(
        (
            "core path (audit_results + 2 heatmaps)",
            lambda audit_id: core_path(con, audit_id),
        ),
        (
            "bare GROUP BY query",
            lambda audit_id: con.execute(
                BARE_QUERY, [framework.id, framework.version, audit_id]
            ).fetchall(),
        ),
        audit_ids,
    )
    parts = measure_parts(con, audit_ids)

    print(
        f"\nMilliseconds per audit, {arguments.repeat} audits drawn from the "
        f"table, after {WARMUP_RUNS} untimed runs:"
    )
    print_timings([core, bare])
    print("\nParts of the core path:")
    print_timings(parts)
    passed = check_targets(core, bare)

    # Write the WAL into the file, so that its size is the whole database.
    con.execute("CHECKPOINT")
    return passed


if __name__ == "__main__":
    sys.exit(main())
