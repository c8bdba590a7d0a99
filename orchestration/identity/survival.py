"""How many customer ids survive the arrival of new data.

Compare two resolutions of the same warehouse: `before` built with var identity_as_of
(records observed up to a cutoff) and `after` built on everything. Each is a Series
record_key -> customer_id. An id of `before`

- *survives* when it is still some record's id in `after`;
- is *merged away* when all its records now carry one id that some other `before` id
  also flowed into: new evidence proved two customers one, and the older id won;
- *changed* otherwise (its records were split, or re-anchored): the case to avoid.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Survival:
    records_before: int
    records_keeping_id: int
    ids_before: int
    ids_surviving: int
    ids_merged_away: int
    ids_changed: int

    @property
    def id_survival_rate(self) -> float:
        return self.ids_surviving / self.ids_before if self.ids_before else 1.0

    @property
    def record_keep_rate(self) -> float:
        return self.records_keeping_id / self.records_before if self.records_before else 1.0

    def rows(self) -> list[tuple[str, str]]:
        return [
            (
                "records resolved before / keeping their id",
                f"{self.records_before:,} / {self.records_keeping_id:,} "
                f"({self.record_keep_rate:.4f})",
            ),
            (
                "customer ids before / surviving",
                f"{self.ids_before:,} / {self.ids_surviving:,} ({self.id_survival_rate:.4f})",
            ),
            ("  merged into an older id (new evidence)", f"{self.ids_merged_away:,}"),
            ("  changed otherwise (split, re-anchored)", f"{self.ids_changed:,}"),
        ]


def id_survival(before: pd.Series, after: pd.Series) -> Survival:
    """Compare record_key -> customer_id before and after new data arrived."""
    joined = pd.DataFrame({"before": before}).join(pd.Series(after, name="after"), how="left")
    if joined["after"].isna().any():
        missing = joined.index[joined["after"].isna()][:5].tolist()
        raise ValueError(f"records resolved before are missing after, e.g. {missing}")
    after_ids = set(after.to_numpy())
    ids_before = joined["before"].unique()
    surviving = {i for i in ids_before if i in after_ids}
    lost = joined[~joined["before"].isin(surviving)]
    # a lost id is merged away when its records all moved to one id fed by other ids too
    targets = lost.groupby("before")["after"].nunique()
    single = targets[targets == 1].index
    target_of = lost[lost["before"].isin(single)].groupby("before")["after"].first()
    feeders = joined.groupby("after")["before"].nunique()
    merged = int((feeders.reindex(target_of.to_numpy()).to_numpy() > 1).sum())
    return Survival(
        records_before=len(joined),
        records_keeping_id=int((joined["before"] == joined["after"]).sum()),
        ids_before=len(ids_before),
        ids_surviving=len(surviving),
        ids_merged_away=merged,
        ids_changed=len(ids_before) - len(surviving) - merged,
    )
