"""Ground truth next to the raw exports, and a naive baseline scored against it.

`<out>/../ground_truth/` holds:

- `persons.csv`: every generated person with true identity and hazard flags,
- `record_persons.csv`: (source, table, record_id, person_id) for every row of every
  identity-record table,
- `hazards.csv`: (source, table, record_id, hazard) for every planted hazard.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq

from orchestration.contract import Table, load_contract
from orchestration.generator.context import ChunkOutput
from orchestration.generator.population import Household, Person
from orchestration.generator.timeline import date_of
from orchestration.generator.writers import PlainCsv, output_path

PERSONS_FILE = "persons.csv"
RECORD_PERSONS_FILE = "record_persons.csv"
HAZARDS_FILE = "hazards.csv"
PERSON_COLUMNS = (
    "person_id",
    "household_id",
    "twin_of",
    "first_name",
    "last_name",
    "birth_date",
    "email",
    "phone",
    "landline",
    "postcode",
    "city",
    "country",
    "locale",
    "gender",
    "household_size",
    "secondary_email",
    "previous_last_name",
    "name_changed_at",
    "previous_postcode",
    "previous_city",
    "moved_at",
    "is_twin",
    "shared_household_email",
    "shared_household_phone",
    "cookie_chain",
    "duplicate_account",
    "channels",
)
RECORD_COLUMNS = ("source", "table", "record_id", "person_id")
HAZARD_COLUMNS = ("source", "table", "record_id", "hazard")


def truth_dir_for(raw_dir: Path) -> Path:
    """The ground truth folder: a sibling of the raw folder, never inside it."""
    return raw_dir.resolve().parent / "ground_truth"


def _ts(ts: int | None) -> str:
    if ts is None:
        return ""
    return (
        f"{date_of(ts // 86_400).isoformat()} {ts % 86_400 // 3600:02d}:"
        f"{ts % 3600 // 60:02d}:{ts % 60:02d}"
    )


def _b(v: bool) -> str:
    return "true" if v else "false"


def _person_row(p: Person) -> tuple[str, ...]:
    h = p.household
    addr = h.address
    old = h.old_address
    return (
        p.person_id,
        h.household_id,
        p.twin_of or "",
        p.first_name,
        p.last_name,
        date_of(p.birth_day).isoformat(),
        p.email,
        p.mobile.e164 if p.mobile else (h.landline.e164 if h.landline else ""),
        h.landline.e164 if h.landline else "",
        addr.postcode,
        addr.city,
        p.country,
        p.locale,
        p.gender,
        str(h.size),
        p.second_email or "",
        p.maiden_name or "",
        _ts(p.name_change_ts),
        old.postcode if old else "",
        old.city if old else "",
        _ts(h.move_ts),
        _b(p.has_twin),
        _b(h.family_email is not None),
        _b(h.landline is not None and h.size > 1),
        _b(p.cookie_chain),
        _b(p.duplicate_account),
        ";".join(sorted(p.channels)),
    )


class TruthWriter:
    def __init__(self, truth_dir: Path) -> None:
        truth_dir.mkdir(parents=True, exist_ok=True)
        self.persons = PlainCsv(truth_dir / PERSONS_FILE, PERSON_COLUMNS)
        self.records = PlainCsv(truth_dir / RECORD_PERSONS_FILE, RECORD_COLUMNS)
        self.hazards = PlainCsv(truth_dir / HAZARDS_FILE, HAZARD_COLUMNS)

    def write(self, households: list[Household], out: ChunkOutput) -> None:
        self.persons.write([_person_row(p) for h in households for p in h.members])
        self.records.write(out.record_persons)
        self.hazards.write(out.hazards)

    def close(self) -> None:
        for w in (self.persons, self.records, self.hazards):
            w.close()

    @property
    def paths(self) -> tuple[Path, ...]:
        return (self.persons.path, self.records.path, self.hazards.path)


# -- naive baseline -----------------------------------------------------------------
def _email_column(table: Table) -> str | None:
    cols = [c.name for c in table.columns if c.identifier == "email"]
    return cols[0] if cols else None


def _read_emails(table: Table, path: Path, pk: str, col: str) -> pd.DataFrame:
    """(record_id, email) of one raw file, values exactly as written ('' for null)."""
    if table.file_format == "csv":
        df = pd.read_csv(
            path,
            sep=table.delimiter,
            encoding=table.encoding,
            dtype=str,
            keep_default_na=False,
            usecols=[pk, col],
        )
    elif table.file_format == "parquet":
        df = pq.read_table(path, columns=[pk, col]).to_pandas()
    else:
        ids, emails = [], []
        with path.open(encoding=table.encoding) as fh:
            for line in fh:
                obj = json.loads(line)
                ids.append(str(obj[pk]))
                emails.append(obj.get(col))
        df = pd.DataFrame({pk: ids, col: emails})
    df = df.rename(columns={pk: "record_id", col: "email"})
    df["email"] = df["email"].fillna("").astype(str)
    df["record_id"] = df["record_id"].astype(str)
    return df


def naive_email_pairwise_scores(raw_dir: Path, truth_dir: Path | None = None) -> dict[str, float]:
    """Pairwise precision and recall of "same raw email string => same person".

    Over all identity records (every row of every identity-record table), a pair is
    predicted when both records carry the identical non-empty raw email string (junk
    included, no normalisation) and is true when both belong to the same person. Pairs
    are counted per cluster (k records -> k*(k-1)/2 pairs), never materialised.
    `recall_email_records` is recall over the records that carry any email at all.
    """
    raw_dir = Path(raw_dir)
    truth_dir = Path(truth_dir) if truth_dir else truth_dir_for(raw_dir)
    frames = []
    for table in load_contract():
        col = _email_column(table)
        if not table.identity_record or col is None:
            continue
        pk = table.primary_key[0]
        df = _read_emails(table, output_path(table, raw_dir), pk, col)
        df.insert(0, "table", table.name)
        df.insert(0, "source", table.source)
        frames.append(df)
    emails = pd.concat(frames, ignore_index=True)
    con = duckdb.connect()
    try:
        con.register("emails", emails)
        truth = str(truth_dir / RECORD_PERSONS_FILE)
        row = con.execute(
            """
            with rp as (
                select * from read_csv(?, header = true, all_varchar = true)
            ), j as (
                select rp.person_id, coalesce(e.email, '') as email
                from rp left join emails e
                  on e.source = rp.source and e."table" = rp."table"
                 and e.record_id = rp.record_id
            ), per_person as (
                select count(*) as k, count(*) filter (where email <> '') as ke
                from j group by person_id
            ), per_email as (
                select count(*) as n from j where email <> '' group by email
            ), per_email_person as (
                select count(*) as n from j where email <> '' group by email, person_id
            )
            select
                (select count(*) from j),
                (select count(*) from j where email <> ''),
                (select coalesce(sum(k * (k - 1) / 2), 0) from per_person),
                (select coalesce(sum(ke * (ke - 1) / 2), 0) from per_person),
                (select coalesce(sum(n * (n - 1) / 2), 0) from per_email),
                (select coalesce(sum(n * (n - 1) / 2), 0) from per_email_person)
            """,
            [truth],
        ).fetchone()
    finally:
        con.close()
    assert row is not None
    records, with_email, true_pairs, true_email_pairs, predicted, tp = (int(v) for v in row)
    return {
        "precision": tp / predicted if predicted else 1.0,
        "recall": tp / true_pairs if true_pairs else 1.0,
        "recall_email_records": tp / true_email_pairs if true_email_pairs else 1.0,
        "pairs": predicted,
        "true_pairs": true_pairs,
        "true_positive_pairs": tp,
        "records": records,
        "records_with_email": with_email,
    }
