"""Kinds from outside the package, for tests: each is what docs/architecture.md ("Adding a
kind") says a kind is made of, and nothing else."""
