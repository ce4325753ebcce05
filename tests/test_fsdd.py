"""FSDD's official split on the real recordings: takes 0-4 of every speaker and digit are the test set.

Notebook 06 trains the course's CNN on this split and asserts at least 95 % on its test takes (and
`tests/test_cli_fsdd.py` trains the CLI on held-out speakers); this checks the split it relies on.
"""

from collections import Counter

from helpers import datasets


def test_official_split_is_takes_0_to_4_of_every_speaker_and_digit(test_data):
    paths, labels, class_names = datasets.from_folder(test_data / "fsdd")
    train_idx, test_idx = datasets.fsdd_split(paths)
    assert len(test_idx) == 300 and len(train_idx) == 2700 and not set(train_idx) & set(test_idx)
    assert Counter(labels[test_idx].tolist()) == dict.fromkeys(range(10), 30) and len(class_names) == 10
    takes = {int(datasets.fsdd_fields(paths[i])[2]) for i in test_idx}
    speakers = {datasets.fsdd_fields(paths[i])[1] for i in test_idx}
    assert takes == set(range(5)) and len(speakers) == 6
