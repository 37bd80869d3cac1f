"""Benchmarks: quality and speed against peers, and at 10x-1000x the seeds. They print figures; they are not tests."""
