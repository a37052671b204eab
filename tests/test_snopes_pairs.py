"""The Snopes-title stance pairs (training/snopes_data.py) on a fixture: which titles assert something, and the
three pairs a title gives. The verb test is a stand-in lexicon here (WordNet is not a test dependency)."""


import re

import numpy as np

from training.snopes_data import DATASET, assertive, read_titles, title_pairs

VERBS = {"slap", "ban", "sign", "open", "show"}.__contains__


def test_a_title_with_a_verb_asserts_and_a_noun_phrase_or_question_does_not():
    assert assertive("Muslim Man Slaps Christian Woman", VERBS)
    assert assertive("Obama Signed the Pledge of Allegiance", VERBS)
    assert assertive("Costco Is Closing All Stores", VERBS)  # an auxiliary
    assert not assertive("Obama Birth Certificate Photos", VERBS)  # "-s" words, none a verb
    assert not assertive("Did Obama Ban the Pledge?", VERBS)
    assert not assertive("Slaps Man Woman Christian", VERBS)  # the first word is not read as the verb
    assert not assertive("Man Slaps Woman", VERBS)  # under four words


def test_titles_are_read_without_rating_prefixes_and_without_dev_gold_claims(tmp_path):
    root = tmp_path / "checkthat2020-task2"
    (root / "dev").mkdir(parents=True)
    (root / "verified_claims.docs.tsv").write_text(
        "vclaim_id\tvclaim\ttitle\n"
        "vclaim-1\tA video shows a Muslim man slapping a Christian woman.\tFALSE: Muslim Man Slaps Christian Woman\n"
        "vclaim-2\tPresident Obama banned the Pledge of Allegiance.\tObama Banned the Pledge of Allegiance\n"
        "vclaim-3\tA photograph shows Obama's birth certificate.\tObama Birth Certificate Photos\n", encoding="utf-8")
    (root / "dev" / "tweet-vclaim-pairs.qrels").write_text("tweet-9 0 vclaim-2 1\n", encoding="utf-8")
    rows = read_titles(tmp_path, VERBS)
    assert rows == [{"id": "vclaim-1", "title": "Muslim Man Slaps Christian Woman",
                     "claim": "A video shows a Muslim man slapping a Christian woman."}]


def test_a_title_supports_its_claim_contradicts_it_changed_and_is_neutral_to_another():
    rows = [{"id": "1", "title": "Boris Johnson Signs Treaty With France",
             "claim": "Boris Johnson signed a treaty with France in 2019."},
            {"id": "2", "title": "Macron Opens Bridge in Paris", "claim": "Emmanuel Macron opened a bridge in Paris."},
            {"id": "3", "title": "Paris Bridge Shows Cracks", "claim": "A bridge in Paris shows cracks."}]
    vectors = {r["title"]: np.eye(3)[i] for i, r in enumerate(rows)} | {r["claim"]: np.eye(3)[i] for i, r in
                                                                         enumerate(rows)}
    vectors[rows[1]["title"]] = np.array([0.0, 0.8, 0.6])  # the title of 2 is closest to claim 2, then claim 3

    def encode(texts):
        return np.stack([vectors[t] for t in texts])

    pool = {"PERSON": ["Angela Merkel", "Boris Johnson"], "PLACE": ["France", "Germany", "Paris", "Rome"],
            "ORG": ["NATO"]}
    pairs = title_pairs(rows, encode, pool)
    assert {p.dataset for p in pairs} == {DATASET} and {p.part for p in pairs} == {"train"}
    assert {p.made for p in pairs} == {""}  # labelled: stage 2 would read them as it reads the real sets
    by = {(p.group, p.label): p for p in pairs}
    assert by["ct-title:1", "supports"].evidence == rows[0]["claim"]
    assert by["ct-title:2", "neutral"].evidence == rows[2]["claim"]  # the closest other claim
    contradictions = [p for p in pairs if p.label == "contradicts"]
    assert contradictions  # a place swapped, with the default seed
    claims = {"ct-title:" + r["id"]: r["claim"] for r in rows}
    for p in pairs:
        assert p.claim == {"ct-title:" + r["id"]: r["title"] for r in rows}[p.group]
    for p in contradictions:  # the words changed are the title's: the title says what the change denies
        gone = set(re.findall(r"\w+", claims[p.group].lower())) - set(re.findall(r"\w+", p.evidence.lower()))
        assert gone and gone <= set(re.findall(r"\w+", p.claim.lower())), p
