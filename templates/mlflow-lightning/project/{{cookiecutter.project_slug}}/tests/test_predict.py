"""Inference: what the served model returns, and batch prediction from a file to a file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import torch

from {{ cookiecutter.package_name }}.predict import classes_and_probabilities, main, read_features
from {{ cookiecutter.package_name }}.train import main as train


def test_class_is_the_most_probable_and_probabilities_sum_to_one() -> None:
    logits = torch.tensor([[0.0, 3.0, 1.0], [2.0, 0.0, 0.0]])
    frame = classes_and_probabilities(logits)
    assert list(frame.columns) == ["class", "probability_0", "probability_1", "probability_2"]
    assert frame["class"].tolist() == [1, 0]
    assert np.allclose(frame.drop(columns="class").sum(axis=1), 1.0)


def test_features_are_read_from_npz_and_csv(tmp_path: Path) -> None:
    features = np.arange(12, dtype=np.float32).reshape(3, 2, 2) / 12
    np.savez(tmp_path / "samples.npz", features=features)
    pd.DataFrame(features.reshape(3, 4)).to_csv(tmp_path / "samples.csv", index=False)
    assert np.array_equal(read_features(tmp_path / "samples.npz"), features)
    assert np.array_equal(read_features(tmp_path / "samples.csv"), features.reshape(3, 4))
    with pytest.raises(ValueError, match=r"expected an \.npz or a \.csv file"):
        read_features(tmp_path / "samples.json")


@pytest.mark.slow
def test_champion_predicts_a_csv_file(tmp_path: Path) -> None:
    result = train(["--fast-dev-run", "--seed", "1"])
    samples = tmp_path / "samples.csv"
    pd.DataFrame(result.example.reshape(len(result.example), -1)).to_csv(samples, index=False)
    done = main(["--input", str(samples), "--output", str(tmp_path / "out" / "predictions.csv")])
    predictions = pd.read_csv(done.output)
    assert done.samples == len(result.example) == len(predictions)
    assert predictions.columns[0] == "class" and predictions.shape[1] == 1 + 10
    logits = result.model.net.eval()(torch.from_numpy(result.example))
    assert predictions["class"].tolist() == logits.argmax(dim=1).tolist()
