"""Benchmarks: `make bench` prints per-stage figures; nothing here is a test."""
