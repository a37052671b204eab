"""Batch results kept for download: on disk, by random id, expiring, bounded in number."""

import os
import time

from web.batch_store import BatchStore


def test_saved_results_load_back_by_id_from_another_store_on_the_same_folder(tmp_path):
    batch_id = BatchStore(str(tmp_path), 3600, 10).save("claims.txt", [{"line": 1, "claim": "x"}])
    batch = BatchStore(str(tmp_path), 3600, 10).load(batch_id)
    assert batch["name"] == "claims.txt" and batch["records"] == [{"line": 1, "claim": "x"}]
    assert len(batch_id) == 22


def test_ids_are_random_and_unknown_or_malformed_ids_load_nothing(tmp_path):
    store = BatchStore(str(tmp_path), 3600, 10)
    assert store.save("a", []) != store.save("a", [])
    assert store.load("A" * 22) is None
    assert store.load("../../etc/passwd") is None and store.load("") is None


def test_results_expire_after_the_ttl(tmp_path):
    store = BatchStore(str(tmp_path), 60, 10)
    batch_id = store.save("a", [])
    old = time.time() - 120
    os.utime(tmp_path / f"{batch_id}.json", (old, old))
    assert store.load(batch_id) is None
    store.prune()
    assert not list(tmp_path.glob("*.json"))


def test_at_most_keep_batches_are_kept_oldest_first_out(tmp_path):
    store = BatchStore(str(tmp_path), 3600, 2)
    ids = []
    for i in range(4):
        ids.append(store.save(str(i), []))
        stamp = time.time() - 100 + i
        os.utime(tmp_path / f"{ids[-1]}.json", (stamp, stamp))
    store.prune()
    assert [store.load(i) is not None for i in ids] == [False, False, True, True]


def test_the_default_folder_is_a_private_temporary_one(tmp_path):
    store = BatchStore("", 3600, 2)
    assert store.folder.name.startswith("verifier-batches-") and store.folder.is_dir()
