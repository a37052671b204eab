"""Measuring the verifier on labelled data: dataset readers, metrics and the evaluation harness."""
