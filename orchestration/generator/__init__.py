"""Seeded, realistic omnichannel raw exports with identity ground truth.

    python -m orchestration.generator --persons 20000 --seed 42 --out data/raw

writes one file per raw table, exactly in the format of the raw contract
(`models/staging/*/_*__sources.yml`), and `data/ground_truth/` next to the raw folder
with the true person of every identity record and the hazards planted in it.
"""

from orchestration.generator.engine import GenerationSummary, generate
from orchestration.generator.hazards import HazardRates
from orchestration.generator.mix import ChannelMix
from orchestration.generator.truth import naive_email_pairwise_scores, truth_dir_for

__all__ = [
    "ChannelMix",
    "GenerationSummary",
    "HazardRates",
    "generate",
    "naive_email_pairwise_scores",
    "truth_dir_for",
]
