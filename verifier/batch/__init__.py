"""Batch checking of claim lists: file formats (`claims.py`)."""

from .claims import BadItem, ClaimItem, claims_format, csv_row, read_claims, record, to_csv

__all__ = ["BadItem", "ClaimItem", "claims_format", "csv_row", "read_claims", "record", "to_csv"]
