"""Pairwise and B-cubed scores computed inside DuckDB, for data too large for pandas.

`orchestration.identity.evaluation` holds every record in pandas; at 1,000,000 persons
(29 M records) that passed 21 GiB. Both families of scores are sums over the
(cluster, person) cells of the contingency table, so DuckDB can compute them from the
warehouse and the ground-truth CSV with its own (spilling) aggregation. Same
conventions as the pandas code: the truth is the universe, a truth record missing from
the prediction is its own singleton cluster, a predicted record missing from the truth
is ignored, and an empty denominator scores 1.0.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from orchestration.identity.evaluation import (
    DEFAULT_CLUSTER_COLUMN,
    DEFAULT_PREDICTION_TABLE,
    RECORD_PERSONS_FILE,
    BCubed,
    Scores,
    _f1,
    _ratio,
    require_table,
)

_CELL_SQL = """
with truth as (
    select source || '.' || "table" || ':' || record_id as record_key, person_id
    from read_csv(?, header = true, all_varchar = true)
),
cells as (
    select
        coalesce(cast(p.{cluster} as varchar), 'unpredicted:' || t.record_key) as cluster,
        t.person_id,
        count(*) as n
    from truth as t
    left join {table} as p on t.record_key = p.record_key
    group by all
),
sized as (
    select
        n,
        sum(n) over (partition by cluster) as cluster_n,
        sum(n) over (partition by person_id) as person_n
    from cells
)
select
    sum(n)::bigint as records,
    sum(n * (n - 1) // 2)::hugeint as correct_pairs,
    sum(n * n / cluster_n::double) as bcubed_precision_sum,
    sum(n * n / person_n::double) as bcubed_recall_sum
from sized
"""

_SIZES_SQL = """
with truth as (
    select source || '.' || "table" || ':' || record_id as record_key, person_id
    from read_csv(?, header = true, all_varchar = true)
),
labelled as (
    select
        coalesce(cast(p.{cluster} as varchar), 'unpredicted:' || t.record_key) as cluster,
        t.person_id
    from truth as t
    left join {table} as p on t.record_key = p.record_key
)
select
    (select sum(n * (n - 1) // 2)::hugeint
     from (select count(*) as n from labelled group by cluster)) as predicted_pairs,
    (select sum(n * (n - 1) // 2)::hugeint
     from (select count(*) as n from labelled group by person_id)) as true_pairs
"""


def score_in_duckdb(
    warehouse: Path | str,
    truth_dir: Path | str,
    table: str = DEFAULT_PREDICTION_TABLE,
    cluster_column: str = DEFAULT_CLUSTER_COLUMN,
) -> tuple[Scores, BCubed]:
    """Pairwise scores and B-cubed scores of `table` against <truth_dir>/record_persons.csv."""
    if not cluster_column.isidentifier():
        raise ValueError(f"not a column name: {cluster_column!r}")
    truth_csv = str(Path(truth_dir) / RECORD_PERSONS_FILE)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        require_table(con, table)
        sql = {"table": table, "cluster": cluster_column}
        records, correct, b_precision, b_recall = con.execute(
            _CELL_SQL.format(**sql), [truth_csv]
        ).fetchone()
        predicted, true = con.execute(_SIZES_SQL.format(**sql), [truth_csv]).fetchone()
    finally:
        con.close()
    if not records:
        return Scores(1.0, 1.0, 1.0, 0, 0, 0), BCubed(1.0, 1.0, 1.0)
    correct, predicted, true = int(correct), int(predicted or 0), int(true or 0)
    precision, recall = _ratio(correct, predicted), _ratio(correct, true)
    pairwise = Scores(precision, recall, _f1(precision, recall), true, predicted, correct)
    bp, br = b_precision / records, b_recall / records
    return pairwise, BCubed(bp, br, _f1(bp, br))
