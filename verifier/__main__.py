"""`python -m verifier` runs the command line."""

from .cli import main

main()
