"""The course's pipeline on real recordings: FSDD's official split (takes 0-4 are the test set).

Trains the same CNN the notebooks use on FSDD's 2700 training clips, as notebook 06 does (6 epochs,
a cosine-decayed learning rate), and checks at least 95 % accuracy on its 300 test clips.
"""

import keras
import tensorflow as tf

from helpers import datasets, models

SR = 8000


def test_cnn_reaches_95_percent_on_fsdd_official_split(test_data):
    keras.utils.set_random_seed(0)
    tf.config.experimental.enable_op_determinism()
    paths, labels, class_names = datasets.from_folder(test_data / "fsdd")
    train_idx, test_idx = datasets.fsdd_split(paths)
    assert len(test_idx) == 300 and len(train_idx) == 2700

    def ds(idx, shuffle=False):
        return datasets.to_dataset([paths[i] for i in idx], labels[idx], SR, SR, shuffle=shuffle)

    # notebook 06's recipe: 6 epochs, the learning rate falling from 0.003 to 0 along a cosine
    rate = keras.optimizers.schedules.CosineDecay(3e-3, decay_steps=6 * -(-len(train_idx) // 32))
    model = models.cnn(class_names, SR, SR, frame_length=256, frame_step=128, n_mels=40)
    models.train(model, ds(train_idx, shuffle=True), None, epochs=6, learning_rate=rate)
    result = models.evaluate(model, ds(test_idx))
    print(f"FSDD official test split: accuracy {result.accuracy:.3f}")
    assert result.accuracy >= 0.95
    assert result.confusion.sum(axis=1).tolist() == [30] * 10
