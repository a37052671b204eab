"""Batch checking of claim lists: file formats (`claims.py`), results files (`output.py`), the runner
(`run.py`) and the `verifier batch` command (`command.py`)."""

from .claims import (
    CSV_COLUMNS, BadItem, ClaimItem, claims_format, csv_header, csv_row, csv_safe, extra_columns, read_claims, record,
    to_csv,
)
from .output import ResumeError, output_format
from .run import BatchRun, BatchSummary, run_batch

__all__ = [
    "CSV_COLUMNS", "BadItem", "BatchRun", "BatchSummary", "ClaimItem", "ResumeError", "claims_format", "csv_header",
    "csv_row", "csv_safe", "extra_columns", "output_format", "read_claims", "record", "run_batch", "to_csv",
]
