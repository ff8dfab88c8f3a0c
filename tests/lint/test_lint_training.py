"""Where training happens and whose facts count: set-up rules report once per training file,
facts are settled along imports, no-gradient code and non-training scripts stay quiet."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import build_file_tree

from mltool.lint.runner import Options, lint

LOOP = (
    "import torch\nfrom torch.utils.data import DataLoader\n\n"
    "def fit(model, data, opt):\n"
    "    for x, y in DataLoader(data, shuffle=True):\n"
    "        loss = torch.nn.functional.mse_loss(model(x), y)\n"
    "        loss.backward()\n"
    "        opt.step()\n\n"
    "if __name__ == '__main__':\n    fit(model, data, opt)\n"
)
SEEDED = "import torch\ntorch.manual_seed(0)\ntorch.use_deterministic_algorithms(True)\n"


def found(root: Path, spec: dict[str, str], *select: str) -> list[tuple[str, str, int]]:
    build_file_tree(root, spec)
    result = lint((root,), Options(select=select or ("DET",), use_cache=False))
    return [(Path(f.path).relative_to(root).as_posix(), f.code, f.line) for f in result.findings]


def test_a_training_loop_is_reported_once_at_its_optimiser_step(tmp_path: Path) -> None:
    assert found(tmp_path, {"train.py": LOOP}, "DET203", "DET306") == [
        ("train.py", "DET203", 8),
        ("train.py", "DET306", 8),
    ]


def test_a_training_function_is_reported_where_the_entry_calls_it(tmp_path: Path) -> None:
    library = LOOP.partition("if __name__")[0]
    entry = (
        "from engine import fit\n\ndef main():\n    model = make()\n    fit(model, data, opt)\n\n"
        "if __name__ == '__main__':\n    main()\n"
    )
    spec = {"engine.py": library, "main.py": entry}
    assert found(tmp_path / "a", spec, "DET203") == [("main.py", "DET203", 5)]
    assert found(tmp_path / "alone", {"engine.py": library}, "DET203") == [
        ("engine.py", "DET203", 8)
    ]
    spec["main.py"] = entry.replace("fit", "train_one_epoch")
    assert found(tmp_path / "b", spec, "DET203") == [("main.py", "DET203", 5)]


def test_a_trainer_class_in_a_package_is_left_to_its_callers(tmp_path: Path) -> None:
    trainer = (
        "import torch\n\nclass Trainer:\n    def train(self):\n        for x in self.data:\n"
        "            self.model(x).sum().backward()\n            self.opt.step()\n"
    )
    demo = "\nif __name__ == '__main__':\n    print(Trainer().model)\n"
    spec = {"pkg/__init__.py": "from .trainer import Trainer\n", "pkg/trainer.py": trainer}
    assert found(tmp_path / "a", spec, "DET203", "DET306") == []
    spec["pkg/trainer.py"] = trainer + demo
    assert found(tmp_path / "b", spec, "DET203", "DET306") == []
    assert found(tmp_path / "alone", {"trainer.py": trainer}, "DET203") == [
        ("trainer.py", "DET203", 7)
    ]


def test_a_seed_in_one_example_script_does_not_seed_its_neighbour(tmp_path: Path) -> None:
    spec = {"examples/a/train.py": SEEDED + LOOP, "examples/b/train.py": LOOP}
    assert found(tmp_path, spec, "DET203", "DET306", "DET302") == [
        ("examples/b/train.py", "DET302", 5),
        ("examples/b/train.py", "DET203", 8),
        ("examples/b/train.py", "DET306", 8),
    ]


def test_tests_do_not_make_training_deterministic(tmp_path: Path) -> None:
    spec = {"tests/conftest.py": SEEDED, "tests/test_train.py": SEEDED, "train.py": LOOP}
    assert [c for _, c, _ in found(tmp_path, spec, "DET203", "DET306")] == ["DET203", "DET306"]


def test_tests_get_no_findings_about_how_runs_are_set_up(tmp_path: Path) -> None:
    test = (
        "import torch\nfrom train import fit\n\ndef test_fit(model, opt):\n"
        "    fit(model, torch.randn(8, 3), opt)\n"
    )
    spec = {"tests/test_train.py": test, "train.py": LOOP, "test_smoke.py": LOOP}
    assert found(tmp_path, spec, "DET203", "DET301", "DET302") == [
        ("train.py", "DET302", 5),
        ("train.py", "DET203", 8),
    ]


def test_an_imported_module_that_seeds_counts(tmp_path: Path) -> None:
    spec = {
        "pkg/__init__.py": "",
        "pkg/seeding.py": (
            "import torch\n\ndef prepare():\n    torch.manual_seed(0)\n"
            "    torch.use_deterministic_algorithms(True)\n"
        ),
        "pkg/train.py": "from .seeding import prepare\n\nprepare()\n" + LOOP,
    }
    assert found(tmp_path, spec, "DET203", "DET306", "DET302") == []


def test_facts_reach_through_import_cycles(tmp_path: Path) -> None:
    spec = {
        "a.py": "import b\n",
        "b.py": "import a\nimport c\n",
        "c.py": "import b\nimport torch\ntorch.manual_seed(0)\n",
        "train.py": "import a\n" + LOOP,
    }
    assert found(tmp_path, spec, "DET306") == []
    spec["c.py"] = "import b\n"
    assert found(tmp_path / "unseeded", spec, "DET306") == [("train.py", "DET306", 9)]


def test_a_seeding_helper_that_is_only_imported_does_not_count(tmp_path: Path) -> None:
    spec = {
        "seeding.py": "import torch\n\ndef prepare():\n    torch.manual_seed(0)\n",
        "train.py": "from seeding import prepare\n" + LOOP,
    }
    assert found(tmp_path, spec, "DET306") == [("train.py", "DET306", 9)]


def test_a_seeding_helper_passed_to_be_called_counts(tmp_path: Path) -> None:
    helper = "import torch\n\ndef prepare(cfg):\n    torch.manual_seed(0)\n"
    calls = "fit(model, data, opt)\n"
    run = "import functools\nfrom seeding import prepare\n" + LOOP.replace(
        calls, "start = functools.partial(fit, init_fn=prepare)\n"
    )
    spec = {"seeding.py": helper, "train.py": run}
    assert found(tmp_path, spec, "DET306") == []
    spec["train.py"] = run.replace("init_fn=prepare", "init_fn=prepared")
    assert found(tmp_path / "other", spec, "DET306") == [("train.py", "DET306", 10)]


def test_library_randomness_is_settled_by_its_callers(tmp_path: Path) -> None:
    model = (
        "import torch\nfrom torch import nn\n\n"
        "def make():\n    return nn.Parameter(torch.randn(3))\n"
    )
    unseeded_entry = "from model import make\nif __name__ == '__main__':\n    make()\n"
    assert found(tmp_path / "a", {"model.py": model}, "DET301") == []
    assert (
        found(tmp_path / "b", {"model.py": model, "run.py": SEEDED + unseeded_entry}, "DET301")
        == []
    )
    assert found(tmp_path / "c", {"model.py": model, "run.py": unseeded_entry}, "DET301") == [
        ("model.py", "DET301", 5)
    ]


def test_configuration_in_a_script_that_never_trains_is_not_reported(tmp_path: Path) -> None:
    setting = "import torch\ntorch.backends.cudnn.benchmark = True\n"
    spec = {
        "predict.py": setting + "if __name__ == '__main__':\n    print(model(x))\n",
        "speed.py": setting + "for _ in range(10):\n    model(x)\n",
        "lib/flags.py": setting,
        "train.py": setting + LOOP,
    }
    assert found(tmp_path, spec, "DET201") == [
        ("lib/flags.py", "DET201", 2),
        ("train.py", "DET201", 2),
    ]


def test_backward_only_operations_without_gradients_are_not_reported(tmp_path: Path) -> None:
    source = (
        "import torch\nimport torch.nn.functional as F\n\n"
        "@torch.no_grad()\ndef upscale(x):\n"
        "    return F.interpolate(x, scale_factor=2, mode='linear')\n\n"
        "def resize_pos_embed(checkpoint_model, size):\n"
        "    return F.interpolate(checkpoint_model['pos'], size=size, mode='linear')\n\n"
        "def predict(x):\n    with torch.inference_mode():\n"
        "        return F.grid_sample(x, grid)\n\n"
        "def forward(x):\n    return F.grid_sample(x, grid)\n"
    )
    assert found(tmp_path, {"ops.py": source}, "DET1") == [("ops.py", "DET109", 16)]


def test_backward_only_operations_count_in_a_script_that_computes_gradients(
    tmp_path: Path,
) -> None:
    # neither script steps an optimiser; only the second runs a backward pass
    forward = (
        "import torch\nimport torch.nn.functional as F\n"
        "x = torch.ones(1, 1, 4, requires_grad=True)\n"
        "y = F.interpolate(x, scale_factor=2, mode='linear')\n"
    )
    spec = {
        "show.py": forward + "print(y)\n",
        "saliency.py": forward + "y.sum().backward()\nprint(x.grad)\n",
        "penalty.py": forward + "g, = torch.autograd.grad(y.sum(), x)\n",
        "frozen.py": forward + "with torch.no_grad():\n    y.sum().backward()\n",
    }
    assert found(tmp_path, spec, "DET101") == [
        ("penalty.py", "DET101", 4),
        ("saliency.py", "DET101", 4),
    ]


def test_a_seed_only_under_an_unset_option_is_no_seed(tmp_path: Path) -> None:
    source = (
        "import argparse\nimport torch\np = argparse.ArgumentParser()\n"
        "p.add_argument('--seed', type=int)\nargs = p.parse_args()\n"
        "if args.seed:\n    torch.manual_seed(args.seed)\n" + LOOP
    )
    (finding,) = lint(
        (_write(tmp_path, source),), Options(select=("DET306",), use_cache=False)
    ).findings
    assert "runs only when --seed is set (its default is None)" in finding.message


def test_a_seed_under_an_option_declared_in_an_imported_module(tmp_path: Path) -> None:
    parser = (
        "import argparse\n\ndef get_args():\n    parser = argparse.ArgumentParser()\n"
        "    arg = parser.add_argument\n    arg('--seed', type=int, default={})\n"
        "    return parser.parse_args()\n"
    )
    entry = (
        "import torch\nfrom utils.args import get_args\nargs = get_args()\n"
        "if args.seed is not None:\n    torch.manual_seed(args.seed)\n" + LOOP
    )
    spec = {"utils/__init__.py": "", "utils/args.py": parser.format(None), "train.py": entry}
    assert found(tmp_path / "unset", spec, "DET306") == [("train.py", "DET306", 13)]
    spec["utils/args.py"] = parser.format(42)
    assert found(tmp_path / "set", spec, "DET306") == []
    del spec["utils/args.py"]
    assert found(tmp_path / "unknown", spec, "DET306") == []


def test_a_seed_under_an_option_with_a_default_counts(tmp_path: Path) -> None:
    source = (
        "import argparse\nimport torch\np = argparse.ArgumentParser()\n"
        "p.add_argument('--seed', type=int, default=42)\nargs = p.parse_args()\n"
        "if args.seed is not None:\n    torch.manual_seed(args.seed)\n" + LOOP
    )
    path = _write(tmp_path, source)
    assert lint((path,), Options(select=("DET306",), use_cache=False)).findings == ()


def test_several_training_styles_are_training(tmp_path: Path) -> None:
    spec = {
        "hf.py": "from transformers import Trainer\ntrainer = Trainer(model=m)\ntrainer.train()\n",
        "cli.py": "from lightning.pytorch.cli import LightningCLI\nLightningCLI(Model, Data)\n",
        "fabric.py": (
            "import torch\nfor batch in loader:\n    loss = model(batch)\n"
            "    fabric.backward(loss)\n    optimizer.step()\n"
        ),
        "notebook_style.py": "import lightning as L\ntrainer = L.Trainer()\ntrainer.fit(m, dm)\n",
        "closure.py": (
            "import torch\nopt = torch.optim.LBFGS(model.parameters())\n"
            "for i in range(10):\n    def closure():\n        opt.zero_grad()\n"
            "        loss = model(x).sum()\n        loss.backward()\n        return loss\n"
            "    opt.step(closure)\n"
        ),
        "processes.py": (
            "import torch.multiprocessing as mp\nfrom trainer_lib import train\n"
            "procs = [mp.Process(target=train, args=(rank, model)) for rank in range(4)]\n"
        ),
        "wrapper.py": (
            "import torch\nfor batch in loader:\n    mp_trainer.backward(model(batch).sum())\n"
            "    mp_trainer.optimize(opt)\n"
        ),
        "not_a_closure.py": (
            "import torch\ndef score():\n    return model(x).sum()\n"
            "opt.step(score)\n"  # the function never calls backward(): no training here
        ),
    }
    assert found(tmp_path, spec, "DET203") == [
        ("cli.py", "DET203", 2),
        ("closure.py", "DET203", 9),
        ("fabric.py", "DET203", 5),
        ("hf.py", "DET203", 3),
        ("notebook_style.py", "DET203", 3),
        ("processes.py", "DET203", 3),
        ("wrapper.py", "DET203", 4),
    ]


def test_descent_on_a_models_input_is_not_training(tmp_path: Path) -> None:
    """Langevin sampling and DeepDream step the input a model is fed down its gradient;
    a hand-written step on weights (``w -= lr * w.grad``) is training."""
    spec = {
        "sample.py": (
            "import torch\nnet = torch.nn.Linear(4, 1)\nfor p in net.parameters():\n"
            "    p.requires_grad = False\nx = torch.zeros(8, 4, requires_grad=True)\n"
            "for _ in range(10):\n    net(x).sum().backward()\n"
            "    x.data.add_(-0.1 * x.grad)\n    x.grad.zero_()\n"
        ),
        "regression.py": (
            "import torch\ndata = torch.ones(8, 3)\nw = torch.zeros(3, requires_grad=True)\n"
            "for _ in range(10):\n    loss = ((data @ w) - 1).pow(2).mean()\n"
            "    loss.backward()\n    with torch.no_grad():\n        w -= 0.1 * w.grad\n"
        ),
    }
    assert found(tmp_path, spec, "DET203") == [("regression.py", "DET203", 8)]


def _write(root: Path, source: str) -> Path:
    path = root / "train.py"
    path.write_text(source, encoding="utf-8")
    return path


LISTING = (
    "files = glob.glob('runs/*.json')\nrows = [[f] for f in files]\ntags = [t for t in set(tags)]\n"
)


def test_order_findings_are_left_out_of_tooling_modules_only(tmp_path: Path) -> None:
    """A CI report that imports requests and the standard library feeds no training; the same
    code beside torch, or beside a project module of unknown kind, is still reported."""
    tooling = "import glob\nimport requests\n" + LISTING
    beside_torch = "import glob\nimport requests\nimport torch\n" + LISTING
    beside_project = "import glob\nimport requests\nfrom data import load\n" + LISTING
    spec = {"ci.py": tooling, "train.py": beside_torch, "prep.py": beside_project}
    assert found(tmp_path, spec, "DET401", "DET402") == [
        ("prep.py", "DET401", 4),
        ("prep.py", "DET402", 6),
        ("train.py", "DET401", 4),
        ("train.py", "DET402", 6),
    ]


def test_order_findings_are_left_out_of_tests_and_hidden_ci_folders(tmp_path: Path) -> None:
    """A listing's order in a test or a CI helper (``.actions/``, ``.circleci/``) feeds no
    training; the same code in a training folder is reported, ``hash()`` of text everywhere."""
    code = "import glob\nimport torch\n" + LISTING + "bucket = hash(files[0]) % 10\n"
    spec = {
        ".actions/assistant.py": code,
        "tests/test_data.py": code,
        "src/data.py": code,
    }
    assert found(tmp_path, spec, "DET401", "DET402", "DET403") == [
        (".actions/assistant.py", "DET403", 6),
        ("src/data.py", "DET401", 3),
        ("src/data.py", "DET402", 5),
        ("src/data.py", "DET403", 6),
        ("tests/test_data.py", "DET403", 6),
    ]
