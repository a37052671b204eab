"""Which vector store a generation uses, and opening it: FAISS in the generation folder, or a Milvus collection.

A new index takes `vector_store` from the settings; an append, and every reader, takes it from the base
generation's manifest. A Milvus generation writes `milvus.json` (its URI and collection) into its folder
before it creates the collection, so that a build that fails, or is killed and cleaned up by the next one,
and a generation removed after a switch, drop the collection they made (`discard`); the manifest names
the collection too, for readers and `verifier info`.
"""

from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path
from typing import Any

from ..errors import SettingsError
from ..settings import Settings
from .manifest import Manifest
from .vectors import FILE as FAISS_FILE
from .vectors import FaissStore, VectorStore

STORES = ("faiss", "milvus")
PLACEMENT = "milvus.json"
DEFAULT_LITE = "milvus.db"  # Milvus Lite's data folder, inside the index folder: the index stays one folder


def chosen_store(settings: Settings) -> str:
    store = settings.vector_store.strip().lower()
    if store not in STORES:
        raise SettingsError(f"vector_store must be one of {', '.join(STORES)}, got {settings.vector_store!r}")
    return store


def manifest_uri(settings: Settings, base: Manifest | None = None) -> str:
    """The URI a new generation records: the setting (a path made absolute), the base's, or the default
    Milvus Lite folder inside the index folder (kept relative, so the index folder can move)."""
    uri = settings.milvus_uri.strip()
    if uri:
        return uri if "://" in uri else str(Path(uri).resolve())
    return base.milvus_uri if base and base.milvus_uri else DEFAULT_LITE


def new_store(root: Path, staging: Path, settings: Settings, dim: int, kind: str, store: str,
              base: Manifest | None = None) -> VectorStore:
    if store == "faiss":
        return FaissStore.create(dim, kind, settings.hnsw_ef_search)
    from .milvus import MilvusStore, connect, new_collection_name, resolve_uri

    uri = manifest_uri(settings, base)
    client = connect(resolve_uri(uri, root), settings.milvus_token)
    name = new_collection_name()
    (staging / PLACEMENT).write_text(json.dumps({"milvus_uri": uri, "collection": name}) + "\n", encoding="utf-8")
    return MilvusStore.create(client, name, dim, kind)


def appended_store(root: Path, staging: Path, base: Path, manifest: Manifest, settings: Settings) -> VectorStore:
    """The base generation's vectors in the new generation's own store (a file copy, or a new collection)."""
    if manifest.vector_store == "faiss":
        shutil.copy2(base / FAISS_FILE, staging / FAISS_FILE)
        return FaissStore.load(staging, manifest.vector_index, manifest.ef_search)
    old = open_store(root, base, manifest, settings)
    new = new_store(root, staging, settings, manifest.dim, manifest.vector_index, "milvus", manifest)
    new.copy_from(old)
    return new


def open_store(root: Path, generation: Path, manifest: Manifest, settings: Settings) -> VectorStore:
    """The vectors of a generation, where its manifest says they are (`milvus_uri` set: that Milvus)."""
    if manifest.vector_store == "faiss":
        return FaissStore.load(generation, manifest.vector_index, manifest.ef_search)
    from .milvus import MilvusStore, connect, resolve_uri

    uri = settings.milvus_uri.strip()
    uri = (uri if "://" in uri else str(Path(uri).resolve())) if uri else resolve_uri(manifest.milvus_uri, root)
    return MilvusStore.load(connect(uri, settings.milvus_token), manifest.collection, manifest.dim,
                            manifest.vector_index, manifest.count)


def placement(vectors: VectorStore, staging: Path) -> dict[str, Any]:
    """The manifest fields saying where the vectors are."""
    path = staging / PLACEMENT
    if not path.is_file():
        return {"vector_store": "faiss", "milvus_uri": "", "collection": ""}
    return {"vector_store": "milvus", **json.loads(path.read_text(encoding="utf-8"))}


def discarder(root: Path, settings: Settings):
    """`discard(path)` for IndexFolder.writing: drops the Milvus collection a generation folder made."""

    def discard(path: Path) -> None:
        try:
            where = json.loads((path / PLACEMENT).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return  # a FAISS generation, or one killed before it made a collection
        from .milvus import connect, resolve_uri

        try:
            client = connect(resolve_uri(where["milvus_uri"], root), settings.milvus_token)
            if client.has_collection(where["collection"]):
                client.drop_collection(where["collection"])
        except Exception as exc:  # the index itself is fine; only the space is not given back
            warnings.warn(f"could not drop Milvus collection {where.get('collection')} of {path.name} at "
                          f"{where.get('milvus_uri')}: {exc}; drop it by hand", stacklevel=2)

    return discard
