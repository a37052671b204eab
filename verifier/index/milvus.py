"""Vectors in Milvus: the VectorStore of `vector_store = milvus`, one collection per index generation.

Reached through pymilvus (the `scale` extra, imported only here and only when chosen). `milvus_uri` is a
local path for the embedded engine (Milvus Lite: a folder ending in `.db`, one process at a time) or
`http://host:19530` for a Milvus server or cluster. A collection holds `pos` (the statement's position, the
primary key, as in the SQLite store and the BM25 index) and `vector`; the search metric is inner product
(IP), as FAISS's, on normalized vectors, so scores are the same cosines. The index type follows
`vector_index`: `flat` is Milvus FLAT (exact, as FAISS IndexFlatIP), `hnsw` is Milvus HNSW with FAISS's
parameters (M 32, efConstruction 200, ef 128).

Statement metadata stays in the SQLite store beside the manifest, not in Milvus scalar fields:
benchmarks/scale.py measured fetching the hits' statements both ways (docs/scale.md).
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import IndexError_, IndexMismatch, SettingsError

PRIMARY, VECTOR = "pos", "vector"
INSERT_ROWS = 2_000  # rows per insert call: well under Milvus's default 64 MB gRPC message for 384-d vectors
QUERY_ROWS = 10_000  # rows per query call (Milvus answers at most 16,384)
HNSW = {"M": 32, "efConstruction": 200}
HNSW_EF = 128
INDEX_TYPES = {"flat": "FLAT", "hnsw": "HNSW"}


def new_collection_name() -> str:
    """A collection name no other generation has: letters, digits and underscores, as Milvus requires."""
    return f"verifier_{secrets.token_hex(8)}"


def resolve_uri(uri: str, root: Path) -> str:
    """A server URI as it is; a Milvus Lite path made absolute (a relative one is inside the index folder)."""
    if "://" in uri:
        return uri
    path = Path(uri)
    return str(path if path.is_absolute() else (root / path).resolve())


def connect(uri: str, token: str = "") -> Any:
    """A MilvusClient for `uri` (a server URL, or a Milvus Lite path ending in .db)."""
    try:
        from pymilvus import MilvusClient
    except ImportError as exc:
        raise SettingsError(
            "vector_store 'milvus' needs pymilvus and milvus-lite: pip install -e \".[scale]\""
        ) from exc
    if "://" not in uri and not uri.endswith(".db"):
        raise SettingsError(f"milvus_uri {uri!r} must be http(s)://host:port or a path ending in .db")
    try:
        return MilvusClient(uri=uri, token=token)
    except Exception as exc:  # pymilvus raises its own tree and grpc errors; all mean "cannot reach it"
        hint = (" (Milvus Lite serves one process at a time: another process has this index open, e.g. "
                "`verifier serve`; stop it, or run a Milvus server)") if "://" not in uri else ""
        raise IndexError_(f"cannot open Milvus at {uri}: {exc}{hint}") from exc


class MilvusStore:
    def __init__(self, client: Any, collection: str, dim: int, kind: str, count: int):
        self._client = client
        self.collection = collection
        self._dim = dim
        self._count = count
        self.kind = kind

    @classmethod
    def create(cls, client: Any, collection: str, dim: int, kind: str = "flat") -> "MilvusStore":
        from pymilvus import DataType, MilvusClient

        if kind not in INDEX_TYPES:
            raise SettingsError(f"vector_index must be one of {', '.join(INDEX_TYPES)}, got {kind!r}")
        schema = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
        schema.add_field(PRIMARY, DataType.INT64, is_primary=True)
        schema.add_field(VECTOR, DataType.FLOAT_VECTOR, dim=dim)
        index = client.prepare_index_params()
        index.add_index(field_name=VECTOR, index_type=INDEX_TYPES[kind], metric_type="IP",
                        params=HNSW if kind == "hnsw" else {})
        client.create_collection(collection, schema=schema, index_params=index)
        client.load_collection(collection)
        return cls(client, collection, dim, kind, 0)

    @classmethod
    def load(cls, client: Any, collection: str, dim: int, kind: str, count: int) -> "MilvusStore":
        if not client.has_collection(collection):
            raise IndexMismatch(
                f"the Milvus collection {collection} that this index's manifest names is not there; point "
                "milvus_uri at the Milvus that holds it, or rebuild the index"
            )
        client.load_collection(collection)
        return cls(client, collection, dim, kind, count)

    @property
    def dim(self) -> int:
        return self._dim

    def __len__(self) -> int:
        return self._count

    def add(self, vectors: np.ndarray) -> None:
        vectors = np.asarray(vectors, dtype=np.float32)
        for start in range(0, len(vectors), INSERT_ROWS):
            part = vectors[start : start + INSERT_ROWS]
            rows = [{PRIMARY: self._count + start + i, VECTOR: v} for i, v in enumerate(part.tolist())]
            self._client.insert(self.collection, rows)
        self._count += len(vectors)

    def copy_from(self, other: "MilvusStore") -> None:
        """Every vector of `other`, at the same positions (an append starts from the base generation's)."""
        for start in range(0, len(other), QUERY_ROWS):
            self.add(other.vectors(np.arange(start, min(start + QUERY_ROWS, len(other)))))

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        k = max(1, min(k, len(self)))
        if not len(self):
            empty = np.zeros((len(queries), 0))
            return empty.astype(np.float32), empty.astype(np.int64)
        params = {"metric_type": "IP", "params": {"ef": max(HNSW_EF, k)} if self.kind == "hnsw" else {}}
        found = self._client.search(self.collection, data=np.asarray(queries, dtype=np.float32).tolist(), limit=k,
                                    anns_field=VECTOR, search_params=params, output_fields=[])
        scores = np.full((len(queries), k), -np.inf, dtype=np.float32)
        positions = np.full((len(queries), k), -1, dtype=np.int64)
        for row, hits in enumerate(found):
            for col, hit in enumerate(hits[:k]):
                scores[row, col], positions[row, col] = hit["distance"], hit[PRIMARY] if PRIMARY in hit else hit["id"]
        return scores, positions

    def vectors(self, positions: np.ndarray) -> np.ndarray:
        wanted = [int(p) for p in np.asarray(positions, dtype=np.int64)]
        if not wanted:
            return np.zeros((0, self.dim), dtype=np.float32)
        found: dict[int, list[float]] = {}
        unique = sorted(set(wanted))
        for start in range(0, len(unique), QUERY_ROWS):
            part = unique[start : start + QUERY_ROWS]
            for row in self._client.query(self.collection, filter=f"{PRIMARY} in {part}",
                                          output_fields=[PRIMARY, VECTOR], limit=len(part)):
                found[int(row[PRIMARY])] = row[VECTOR]
        return np.asarray([found[p] for p in wanted], dtype=np.float32)

    def save(self, folder: Path) -> None:
        """Make every insert durable (the manifest, not a file here, names the collection)."""
        self._client.flush(self.collection)

    def drop(self) -> None:
        self._client.drop_collection(self.collection)
