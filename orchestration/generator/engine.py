"""`generate()`: persons in chunks, each chunk's rows streamed to the raw files."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from orchestration.contract import Table, load_contract
from orchestration.generator import story
from orchestration.generator.catalog import build_catalog
from orchestration.generator.channels.ads import SPEND, spend_rows
from orchestration.generator.contacts import Registry
from orchestration.generator.context import ChunkOutput, Ctx, World
from orchestration.generator.hazards import HazardRates
from orchestration.generator.ids import Ids
from orchestration.generator.mix import ChannelMix
from orchestration.generator.pools import build_pools
from orchestration.generator.population import PopulationContext, locale_weights, make_households
from orchestration.generator.presenter import Presenter
from orchestration.generator.rand import Rand, child_rng
from orchestration.generator.timeline import Timeline
from orchestration.generator.truth import TruthWriter, truth_dir_for
from orchestration.generator.writers import TableWriter, clock_table, open_writer, output_path

DEFAULT_PERSONS = 20_000
DEFAULT_SEED = 42
CHUNK_PERSONS = 2_000
# random stream ids under the run seed
_STREAM_CATALOG = 2
_STREAM_CHUNK = 3
_STREAM_SPEND = 4


@dataclass(frozen=True)
class GenerationSummary:
    out_dir: Path
    truth_dir: Path
    persons: int
    households: int
    seed: int
    rows: dict[str, int]
    """Rows written per table key ('web_shop.customers')."""
    files: dict[str, Path]
    """The one raw file written per table key."""
    truth_files: tuple[Path, ...]
    hazards: dict[str, int] = field(default_factory=dict)
    """Hazard tag -> number of tagged records."""
    seconds: float = 0.0

    @property
    def files_written(self) -> int:
        return len(self.files) + len(self.truth_files)

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def _check_contract(tables: tuple[Table, ...]) -> None:
    declared = {t.key for t in tables}
    missing = sorted(declared - story.TABLES)
    unknown = sorted(story.TABLES - declared)
    if missing or unknown:
        raise ValueError(
            f"generator and contract disagree: no generator for {missing}, "
            f"not in the contract: {unknown}"
        )


def _check_no_foreign_files(tables: tuple[Table, ...], out_dir: Path) -> None:
    """Refuse to mix with other files the loader would pick up next to ours."""
    for t in tables:
        ours = output_path(t, out_dir)
        others = [p for p in out_dir.glob(t.path) if p != ours]
        if others:
            raise FileExistsError(
                f"{others[0]} would be loaded together with the generated {t.key}; "
                f"generate into an empty folder"
            )


def _sort_column(table: Table) -> str | None:
    """Rows of a chunk are written in time order of the first required timestamp."""
    for c in table.columns:
        if c.base_type == "timestamp" and c.required:
            return c.name
    return None


def generate(
    out_dir: Path,
    persons: int = DEFAULT_PERSONS,
    seed: int = DEFAULT_SEED,
    *,
    rates: HazardRates | None = None,
    mix: ChannelMix | None = None,
    chunk_persons: int = CHUNK_PERSONS,
) -> GenerationSummary:
    """Write one file per raw table under `out_dir` and ground truth next to it.

    Same `persons`, `seed`, `rates`, `mix` and `chunk_persons` give byte-identical files.
    """
    if persons < 1 or chunk_persons < 1:
        raise ValueError("persons and chunk_persons must be at least 1")
    if seed < 0:
        raise ValueError("seed must not be negative")
    started = time.perf_counter()
    out_dir = Path(out_dir)
    truth_dir = truth_dir_for(out_dir)
    rates = rates or HazardRates()
    mix = mix or ChannelMix()
    tables = load_contract()
    _check_contract(tables)
    _check_no_foreign_files(tables, out_dir)

    catalog = build_catalog(
        Rand(child_rng(seed, _STREAM_CATALOG)),
        mix.email_campaigns_per_month,
        mix.sms_campaigns_per_month,
    )
    timeline = Timeline()
    registry = Registry()
    world = World(rates, mix, catalog, timeline, Ids(seed), {t.key: t.encoding for t in tables})
    population = PopulationContext(
        build_pools(seed), locale_weights(), catalog, timeline, registry, rates, mix
    )
    clock = clock_table()
    writers: dict[str, TableWriter] = {t.key: open_writer(t, out_dir, clock) for t in tables}
    order_by = {t.key: _sort_column(t) for t in tables}
    truth = TruthWriter(truth_dir)
    hazard_counts: Counter[str] = Counter()
    households = 0
    try:
        for chunk_no, first in enumerate(range(0, persons, chunk_persons)):
            r = Rand(child_rng(seed, _STREAM_CHUNK, chunk_no))
            count = min(chunk_persons, persons - first)
            hhs = make_households(population, r, first + 1, count, households + 1)
            households += len(hhs)
            out = ChunkOutput()
            ctx = Ctx(world, r, Presenter(r, rates), out)
            for hh in hhs:
                for p in hh.members:
                    story.tell(ctx, p)
            for key, rows in out.rows.items():
                col = order_by[key]
                if col:
                    rows.sort(key=lambda row, c=col: row[c])
                writers[key].write(rows)
            truth.write(hhs, out)
            hazard_counts.update(h for *_, h in out.hazards)
        writers[SPEND].write(spend_rows(world, Rand(child_rng(seed, _STREAM_SPEND))))
    finally:
        for w in writers.values():
            w.close()
        truth.close()
    return GenerationSummary(
        out_dir=out_dir,
        truth_dir=truth_dir,
        persons=persons,
        households=households,
        seed=seed,
        rows={k: w.rows_written for k, w in writers.items()},
        files={k: w.path for k, w in writers.items()},
        truth_files=truth.paths,
        hazards=dict(sorted(hazard_counts.items())),
        seconds=time.perf_counter() - started,
    )
