"""Inference: the model MLflow serves, and batch prediction from a file to a file.

The logged model is a :class:`Classifier`: it takes float32 samples shaped like the training
features and returns one row per sample with the predicted ``class`` and the probability of every
class (``probability_0`` ... ``probability_<K-1>``), as its signature says.

``python -m {{ cookiecutter.package_name }}.predict --help`` (``mlflow run . -e predict``) reads
samples from an ``.npz`` file (array ``features``, as for training) or a CSV file (a header row,
then one sample per row with its features flattened), predicts them with the champion or any model
URI, and writes a CSV file with the same columns as the served model.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mlflow
import numpy as np
import pandas as pd
import torch
from mlflow.models import ModelSignature

CLASS = "class"
PROBABILITY = "probability_{}"


class Classifier(mlflow.pyfunc.PythonModel):
    """A trained network as an MLflow model that returns classes and class probabilities."""

    def __init__(self, net: torch.nn.Module) -> None:
        self.net = net.cpu().eval()

    def predict(
        self, context: object, model_input: np.ndarray, params: dict[str, Any] | None = None
    ) -> pd.DataFrame:
        with torch.no_grad():
            logits = self.net(torch.as_tensor(np.asarray(model_input, dtype=np.float32)))
        return classes_and_probabilities(logits)

    def signature(self, example: np.ndarray) -> ModelSignature:
        """Input: float32 tensors shaped like ``example``'s samples. Output: ``class`` (int64) and
        one float32 ``probability_<k>`` column per class."""
        from mlflow.models import infer_signature
        from mlflow.types import ColSpec, Schema

        classes = self.predict(None, example).shape[1] - 1
        columns = [ColSpec("long", CLASS)]
        columns += [ColSpec("float", PROBABILITY.format(k)) for k in range(classes)]
        return ModelSignature(infer_signature(example).inputs, Schema(columns))


def classes_and_probabilities(logits: torch.Tensor) -> pd.DataFrame:
    """One row per sample: the most probable class, then the softmax probability of each class."""
    probabilities = torch.softmax(logits.float(), dim=1).numpy()
    frame = pd.DataFrame({CLASS: probabilities.argmax(axis=1).astype(np.int64)})
    for index in range(probabilities.shape[1]):
        frame[PROBABILITY.format(index)] = probabilities[:, index]
    return frame


def read_features(path: Path) -> np.ndarray:
    """Samples from ``path``: the ``features`` array of an ``.npz`` file, or the rows of a CSV
    file (a header row, then one flattened sample per row)."""
    if path.suffix == ".npz":
        with np.load(path) as stored:
            return np.asarray(stored["features"], dtype=np.float32)
    if path.suffix == ".csv":
        return pd.read_csv(path).to_numpy(dtype=np.float32)
    raise ValueError(f"{path}: expected an .npz or a .csv file")


@dataclass(frozen=True)
class BatchPrediction:
    model_uri: str
    output: Path
    samples: int


def predict_file(model_uri: str, source: Path, output: Path) -> BatchPrediction:
    """Predict every sample of ``source`` with the model at ``model_uri``; write them to
    ``output`` as CSV."""
    model = mlflow.pyfunc.load_model(model_uri)
    features = read_features(source)
    features = features.reshape(-1, *_sample_shape(model, features))
    predictions = model.predict(features)
    output.parent.mkdir(parents=True, exist_ok=True)
    predictions.to_csv(output, index=False, float_format="%.8g")
    return BatchPrediction(model_uri, output, len(predictions))


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    from {{ cookiecutter.package_name }} import registry

    parser = argparse.ArgumentParser(prog="predict", description=__doc__.splitlines()[0])
    parser.add_argument("--input", type=Path, required=True, help=".npz or .csv file of samples")
    parser.add_argument("--output", type=Path, required=True, help="CSV file to write")
    parser.add_argument(
        "--model-uri",
        default=registry.champion_uri(registry.MODEL_NAME),
        help="the model to use (default: the champion, %(default)s)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> BatchPrediction:
    from {{ cookiecutter.package_name }} import tracking

    args = parse_args(argv)
    mlflow.set_tracking_uri(tracking.tracking_uri())
    done = predict_file(args.model_uri, args.input, args.output)
    print(f"{done.output}: {done.samples} predictions of {done.model_uri}")
    return done


def _sample_shape(model: mlflow.pyfunc.PyFuncModel, features: np.ndarray) -> tuple[int, ...]:
    """The shape of one sample the model expects, from its signature."""
    schema = model.metadata.get_input_schema()
    if schema is None or not schema.is_tensor_spec():
        return tuple(features.shape[1:])
    return tuple(schema.inputs[0].shape[1:])


if __name__ == "__main__":
    main()
