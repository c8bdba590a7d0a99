"""Identity resolution: measuring resolved customer ids against ground truth, and baselines."""
