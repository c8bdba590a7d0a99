"""Erasure: requests, resolution through the identity map, tombstones, erased copies."""
