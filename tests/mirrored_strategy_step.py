"""One `fit` step on a fixed global batch, on one device and under MirroredStrategy.

Run as a script (tests/test_distributed_tensorflow.py does): TensorFlow must be told
to split the CPU into two logical devices before anything else touches it, which a
pytest process that already ran other tests can no longer do. Prints one JSON object.
"""

import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ["KERAS_BACKEND"] = "tensorflow"

import tensorflow as tf  # noqa: E402

_cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(_cpu, [tf.config.LogicalDeviceConfiguration()] * 2)

import keras  # noqa: E402
import numpy as np  # noqa: E402

import specificity  # noqa: E402

# A fixed global batch of 16 whose two halves, one per replica, hold different numbers
# of negatives (6 and 2): a per-replica ratio then differs from the global one.
RNG = np.random.default_rng(0)
X = RNG.normal(size=(16, 5)).astype("float32")
Y = np.array([0, 0, 0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1], dtype="float32")


def naive_scalar_loss(y_true, y_pred):
    """What most people write: the batch's ratio, returned as a scalar."""
    return 1.0 - specificity.soft_specificity(y_true, y_pred)


LOSSES = {"package": specificity.SpecificityLoss, "naive": lambda: naive_scalar_loss}


def one_step(strategy, loss_name):
    with strategy.scope():
        keras.utils.set_random_seed(0)
        model = keras.Sequential([
            keras.Input((5,)),
            keras.layers.Dense(8, activation="relu"),
            keras.layers.Dense(1, activation="sigmoid"),
        ])
        model.compile(optimizer=keras.optimizers.SGD(1.0), loss=LOSSES[loss_name](), metrics=[specificity.Specificity()])
    before = [w.copy() for w in model.get_weights()]
    history = model.fit(X, Y, batch_size=16, epochs=1, shuffle=False, verbose=0).history
    after = model.get_weights()
    step = np.concatenate([(a - b).ravel() for a, b in zip(after, before)])
    probability = model.predict(X, verbose=0)[:, 0]
    evaluated = model.evaluate(X, Y, batch_size=16, verbose=0, return_dict=True)
    return {
        "weights": np.concatenate([w.ravel() for w in after]).tolist(),
        "step_norm": float(np.linalg.norm(step)),
        "logged_loss": history["loss"][0],
        "evaluated_specificity": evaluated["specificity"],
        "probability": probability.tolist(),
    }


def main():
    devices = ["/cpu:0", "/cpu:1"]
    strategies = {
        "single": lambda: tf.distribute.OneDeviceStrategy("/cpu:0"),
        "mirrored_default": lambda: tf.distribute.MirroredStrategy(devices),
        "mirrored_one_device": lambda: tf.distribute.MirroredStrategy(
            devices, cross_device_ops=tf.distribute.ReductionToOneDevice()
        ),
    }
    results = {}
    for loss_name in LOSSES:
        for strategy_name, make in strategies.items():
            strategy = make()
            results[f"{loss_name}/{strategy_name}"] = {
                **one_step(strategy, loss_name),
                "cross_device_ops": type(getattr(strategy.extended, "_cross_device_ops", None)).__name__,
            }
    results["labels"] = Y.tolist()
    print(json.dumps(results))


if __name__ == "__main__":
    main()
