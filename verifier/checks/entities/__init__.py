"""The names check: the people, places and organizations a text names (`mentions.py`, typed by `types.py` with
the places of `gazetteer.py`) and whether a claim's names agree with a statement's (`align.py`).
"""

from .align import check_entities
from .mentions import extract_entities
from .types import MISC, ORG, PERSON, PLACE, Entity

__all__ = ["MISC", "ORG", "PERSON", "PLACE", "Entity", "check_entities", "extract_entities"]
