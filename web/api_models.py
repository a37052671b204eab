"""The JSON API's request and response shapes, as pydantic models.

Requests are parsed with them (strict types, unknown fields refused) and errors become one 400 with the
field at fault. Responses are built by the library's own `to_dict()` (one truth for CLI, API and page);
their models here exist to describe them in the OpenAPI document, and the tests validate real responses
against them, so the document cannot drift from what the server sends.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, ValidationError, WithJsonSchema, field_validator

from verifier import FactCheck, InputError, Stance, Verdict
from verifier.checks import Kind
from verifier.statement import lone_surrogate


def _drop_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def absent(description: str) -> Any:
    """A response field that is left out, never null, when it does not apply."""
    return Field(None, description=description, json_schema_extra=_drop_default)


NORMALIZED_RATINGS = tuple(FactCheck.RATINGS)


class Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


# --- requests -------------------------------------------------------------------------------------------
class CheckRequest(Strict):
    claim: str = Field(description="The claim to check; at most max_claim_chars characters.",
                       examples=["Over 1,000 Afghan troops fled into Tajikistan"])
    top_k: int | None = Field(None, ge=1, description="Statements to weigh (default: setting top_k; at most max_top_k).")


class BatchItem(Strict):
    # Any plus a validator, not `str | int`: a union would put its member names in the error's field path.
    id: Annotated[Any, WithJsonSchema({"type": ["string", "integer", "null"]})] = Field(
        None, description="Your id for this claim, echoed (as a string) in its result."
    )
    claim: str

    @field_validator("id")
    @classmethod
    def _id_is_text_or_number(cls, value: Any) -> Any:
        if value is not None and (isinstance(value, bool) or not isinstance(value, (str, int))):
            raise ValueError("must be a string or an integer")
        if isinstance(value, str) and lone_surrogate(value) is not None:  # it is echoed in the result
            raise ValueError("holds a lone surrogate, which is not text; send valid UTF-8")
        return value


def _item_kind(value: Any) -> str:
    return "claim-string" if isinstance(value, str) else "claim-object"


ClaimEntry = Annotated[
    Union[Annotated[str, Tag("claim-string")], Annotated[BatchItem, Tag("claim-object")]], Discriminator(_item_kind)
]


class BatchRequest(Strict):
    claims: list[ClaimEntry] = Field(
        description="Claims as strings or {id, claim} objects; at most max_batch_claims, and max_batch_chars "
        "characters in all. A string's id is its "
        "position in the list (from 0).",
    )
    top_k: int | None = Field(None, ge=1, description="As for /check.")


class TextRequest(Strict):
    text: str = Field(description="The text to check: plain text, Markdown or HTML (see `format`); at most "
                      "max_text_chars characters, and at most max_text_sentences checkable sentences.")
    format: Literal["text", "markdown", "html"] = Field("text", description="How to read `text`.")
    top_k: int | None = Field(None, ge=1, description="As for /check.")


class StatementIn(BaseModel):
    """A statement to add; fields beyond these are kept in `meta`, as in corpus files."""

    model_config = ConfigDict(strict=True, extra="allow")
    text: str = Field(min_length=1)
    id: str | None = Field(None, description="Stable id; default: derived from text and source.")
    source: str | None = None
    publisher: str | None = None
    url: str | None = None
    title: str | None = None
    date: str | None = Field(None, description="ISO 8601: YYYY, YYYY-MM or YYYY-MM-DD.")
    context: str | None = None
    meta: dict[str, Any] | None = None


class AddRequest(Strict):
    statements: list[StatementIn] = Field(description="At most max_add_statements statements.")


# --- responses ------------------------------------------------------------------------------------------
class Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SpanOut(Out):
    start: int
    end: int
    text: str


class FindingOut(Out):
    kind: Literal[tuple(k.value for k in Kind)]  # type: ignore[valid-type]
    outcome: Literal["consistent", "inconsistent", "not_comparable", "unmatched"]
    reason: str
    claim_span: SpanOut | None = Field(description="Character offsets into the result's `claim`.")
    statement_span: SpanOut | None = Field(description="Character offsets into the statement's `text`.")
    details: dict[str, Any]


class StatementOut(Out):
    text: str
    id: str
    source: str
    publisher: str
    url: str
    title: str
    date: str
    context: str
    meta: dict[str, Any]


class ReadingOut(Out):
    supports: float
    contradicts: float
    neutral: float


class StanceModelOut(Out):
    name: str
    sha256: str


class EvidenceOut(Out):
    rank: int
    score: float
    similarity: float
    stance: Literal[tuple(s.value for s in Stance)]  # type: ignore[valid-type]
    stance_score: float
    statement: StatementOut
    findings: list[FindingOut]
    note: str = Field(description="Why a related statement is neutral; empty otherwise.")
    related: bool = Field(description="At or above the relatedness floor; the pages list only related statements.")
    reading: ReadingOut | None = Field(
        description="The stance model's calibrated probabilities for this pair; null where it did not read it "
        "(an unrelated statement, or the model switched off)."
    )


class ReasonOut(Out):
    text: str
    statement_id: str | None
    source: str | None


class FactCheckOut(Out):
    reviewer: str = Field(description="Who rated the claim (the fact-checker).")
    rating: str = Field(description="The rating as the reviewer wrote it, e.g. 'Pants on Fire', 'Faux'.")
    normalized_rating: Literal[NORMALIZED_RATINGS] = Field(  # type: ignore[valid-type]
        description="The rating on one scale; 'other' where the reviewer's rating is not on it (never guessed)."
    )
    review_date: str = Field(description="ISO 8601, as the review gives it; empty if it gives none.")
    url: str = Field(description="The review.")
    title: str
    claim_reviewed: str = Field(description="The claim as the reviewer stated it.")
    claimant: str
    claim_date: str
    language: str
    similarity: float = Field(description="Cosine of the claim and the claim reviewed: how close the match is.")
    stance: Literal[tuple(s.value for s in Stance)]  # type: ignore[valid-type]
    used: bool = Field(description="Whether the verdict used the rating: only when both claims say the same thing.")
    note: str = Field(description="Why the rating was not used; empty when it was.")
    statement_id: str


class ResultOut(Out):
    id: str = absent("Present only when the request gave one.")
    claim: str = Field(description="The claim as checked (whitespace collapsed); spans point into it.")
    claim_given: str = absent(
        "The claim as given; present only when cleaning it (links, @handles, emoji; setting clean_claims) "
        "changed what was checked."
    )
    fact_checks: list[FactCheckOut] = Field(
        description="Fact-checks of claims that match this one (cosine >= fact_check_similarity), closest first."
    )
    verdict: Literal[tuple(v.value for v in Verdict)]  # type: ignore[valid-type]
    confidence: float
    reasons: list[ReasonOut]
    evidence: list[EvidenceOut]
    stance_model: StanceModelOut | None = Field(
        description="The stance model that read the evidence (name and SHA-256 of its weights); null when off."
    )


class BatchResultOut(ResultOut):
    id: str


class BatchResponse(Out):
    results: list[BatchResultOut] = Field(description="One per claim, in the order given.")


class BlockOut(Out):
    kind: Literal["heading", "paragraph"]
    text: str
    level: int = absent("A heading's level, 1-6; only for headings.")
    sentences: list[int] = absent("The indices of a paragraph's sentences in `sentences`; only for paragraphs.")


class SentenceOut(Out):
    index: int
    text: str
    block: int = Field(description="Its paragraph's index in `blocks`.")
    section: str = Field(description="The headings above it, outermost first, joined by ' › '; empty before any.")
    checkable: list[Literal["figure", "date", "person", "place", "organisation", "comparison", "quote"]] = Field(
        description="Why the sentence was chosen for checking; empty: it was not (and `result` is null).")
    result: ResultOut | None = Field(description="The sentence's result, as /check gives it; null when not checked.")
    error: str = absent("Why a chosen sentence could not be checked (e.g. longer than max_claim_chars).")


class TextCounts(Out):
    sentences: int
    chosen: int
    checked: int
    failed: int
    supported: int
    contradicted: int
    mixed: int
    not_enough_evidence: int


class TextResponse(Out):
    summary: str = Field(description='E.g. "12 sentences checked: 9 supported, 1 contradicted, 2 without evidence".')
    counts: TextCounts
    blocks: list[BlockOut] = Field(description="The text's headings and paragraphs, in order.")
    sentences: list[SentenceOut]
    stance_model: StanceModelOut | None


class HealthResponse(Out):
    status: Literal["ready"]
    statements: int
    version: str


class IndexInfoOut(Out):
    count: int
    model: str
    model_sha256: str
    dim: int
    encoder_backend: str
    vector_index: str = Field(description="'flat' (exact search) or 'hnsw' (approximate), chosen when the index was built.")
    ef_search: int = Field(description="HNSW's efSearch; 0 for exact search (and hnsw indexes older than this field).")
    created: str
    updated: str
    sources: dict[str, int]
    publishers: dict[str, int]
    dates: list[str] | None
    index_context: str
    format_version: int
    vector_store: Literal["faiss", "milvus"] = Field(description="Where the vectors are kept.")
    collection: str = Field(description="The Milvus collection of this index generation; empty for FAISS.")


class Limits(Out):
    max_claim_chars: int
    max_top_k: int
    top_k: int
    max_batch_claims: int
    max_batch_chars: int
    max_add_statements: int
    max_body_bytes: int
    max_upload_bytes: int
    max_text_chars: int
    max_text_sentences: int


class InfoResponse(Out):
    version: str
    index: IndexInfoOut
    limits: Limits
    adding_statements: bool = Field(description="Whether POST /api/v1/statements is enabled (an api_token is set).")
    stance_model: StanceModelOut | None = Field(description="The stance model reading the evidence; null when off.")


class DuplicateOut(Out):
    id: str
    duplicate_of: str
    kind: str
    origin: str


class ProblemOut(Out):
    path: str
    line: int | None
    message: str


class AddResponse(Out):
    added: int
    total: int
    duplicates: list[DuplicateOut]
    problems: list[ProblemOut]
    seconds: float


class ErrorDetail(Out):
    code: str = Field(description="Stable, e.g. invalid_input, invalid_json, not_found, payload_too_large, busy.")
    message: str
    field: str = absent("The request field at fault, e.g. claims[2].claim; only when one is.")


class ErrorResponse(Out):
    error: ErrorDetail


RESPONSES = (ResultOut, BatchResponse, TextResponse, StatementOut, HealthResponse, InfoResponse, AddResponse, ErrorResponse)
REQUESTS = (CheckRequest, BatchRequest, TextRequest, AddRequest)
_TAGS = {"claim-string", "claim-object"}  # the claims union's tags, which pydantic puts in error locations


def parse(model: type[BaseModel], data: Any) -> Any:
    """The request body as `model`, or InputError naming the first field at fault."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = _field(first["loc"])
        message = first["msg"].removeprefix("Value error, ")
        message = message[:1].lower() + message[1:]
        if first["loc"][-1:] == ("claim-object",):
            message = 'give a string or an object {"id"?, "claim"}'
        raise InputError(f"{field or 'body'}: {message}", field or None) from None


def _field(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part not in _TAGS:
            out += f".{part}" if out else str(part)
    return out
