"""Consistency checks between a claim and a statement: numbers, dates, names and places, polarity."""

from .findings import CheckReport, Finding, Kind, Outcome, Span

__all__ = ["CheckReport", "Finding", "Kind", "Outcome", "Span"]
