"""Claims cleaned as users paste them: posts carry links, @handles, hashtags, emoji, "BREAKING:" and the
"— Name (@handle) date" line of an embedded tweet, none of which is the claim.

`clean_claim` keeps the words and drops the rest: hashtags become words ("#AustralianFires" → "Australian
Fires"), links, handles, emoji and the embed trailer go. It is written here rather than taken from a
library because the rules are a dozen regular expressions about social-media pasting, not about language
(tweet tokenizers split text into tokens, they do not give back a sentence to search and check). Whether
it helps was measured on CheckThat 2020 tweets (docs/retrieval.md); the setting `clean_claims` turns it off.
The result keeps the claim as given; the cleaned text is what is searched and checked.
"""

from __future__ import annotations

import re
import unicodedata

_URL = re.compile(r"(?:https?://|www\.|pic\.twitter\.com/)\S+", re.IGNORECASE)
# "— Brad Trost 🇨🇦 (@BradTrostCPC) Dec 12, 2019": the line an embedded tweet ends with
_TRAILER = re.compile(r"\s*[—–-]+\s*[^—–\n]{0,80}\(@\w{1,15}\)[^—–\n]{0,40}$")
_PREFIX = re.compile(r"^(?:(?:RT\s+@\w+\s*:?|BREAKING(?:\s+NEWS)?|JUST\s+IN|UPDATE|NEW|WATCH|FACT)\s*[:!\-–—|]+\s*)+",
                     re.IGNORECASE)
_VIA = re.compile(r"\b(?:via|h/t|cc)\s+@\w+", re.IGNORECASE)
_HANDLE = re.compile(r"(?<![\w@])@(\w{1,15})\b")
_HASHTAG = re.compile(r"(?<![\w#])#(\w+)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def clean_claim(text: str) -> str:
    """The claim's words without the trappings of a social-media post; the text itself when nothing is left."""
    out = _URL.sub(" ", text)
    out = _TRAILER.sub("", out)
    out = _PREFIX.sub("", out.strip())
    out = _VIA.sub(" ", out)
    out = _HANDLE.sub(" ", out)
    out = _HASHTAG.sub(lambda m: " " + _CAMEL.sub(" ", m.group(1)) + " ", out)
    out = "".join(" " if _is_pictograph(ch) else ch for ch in out)
    out = re.sub(r"\s+([,.;:!?])", r"\1", " ".join(out.split()))
    return out if re.search(r"\w", out) else " ".join(text.split())


def _is_pictograph(ch: str) -> bool:
    """Emoji and other symbols that are not words: symbol categories, variation selectors, joiners."""
    if ch in "\u200d\ufe0f\ufe0e":
        return True
    category = unicodedata.category(ch)
    return category == "So" or (category == "Sk" and ord(ch) > 0x2000) or 0x1F1E6 <= ord(ch) <= 0x1F1FF
