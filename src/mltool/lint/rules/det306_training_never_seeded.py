from __future__ import annotations

import ast

from mltool.lint import facts
from mltool.lint.context import FileContext
from mltool.lint.program import TrainingSite
from mltool.lint.training import SetUpRule, report_set_up, unmet_note

_CUDA_ONLY = frozenset({"torch.cuda.manual_seed", "torch.cuda.manual_seed_all"})


class TrainingNeverSeeded(SetUpRule):
    code = "DET306"
    name = "training-never-seeded"
    message = "this code trains, but torch is never seeded"
    hint = (
        "seed every generator once before the model is built: torch.manual_seed(seed), or "
        "lightning's seed_everything(seed, workers=True), which also seeds random and NumPy"
    )
    what = (
        "Flags code that trains (see DET203 for what counts as training) when nothing it "
        "runs seeds torch's generator: `torch.manual_seed`, `seed_everything`, "
        "`transformers.set_seed` or a Hugging Face `Trainer` (which seeds from its "
        "arguments), and other libraries' helpers given a seed: Ignite's `manual_seed`, "
        "timm's `random_seed`, MMEngine's `set_random_seed`, MONAI's `set_determinism`, "
        "fastai's `set_seed`. "
        "`torch.cuda.manual_seed_all` alone does not count: it seeds the CUDA "
        "generators, not the CPU generator that initialises weights. A seed set only under "
        "a command-line option that is unset by default (`if args.seed is not None:` with "
        "`default=None`) does not count either, also when the parser is built in a module "
        "the training file imports. Reported once per file, at the first training call."
    )
    why = (
        "Unseeded, torch starts from OS entropy: initial weights, dropout masks, random "
        "augmentations and the data order differ on every run."
    )
    valid = (
        "import torch\ntorch.manual_seed(0)\nfor x, y in loader:\n"
        "    loss_fn(model(x), y).backward()\n    optimizer.step()\n",
        "import lightning as L\nL.seed_everything(42, workers=True)\n"
        "trainer = L.Trainer()\ntrainer.fit(model)\n",
        "from composer import Trainer\ntrainer = Trainer(model=m, seed=17)\ntrainer.fit()\n",
        "from ignite.utils import manual_seed\nmanual_seed(0)\n"
        "trainer = create_supervised_trainer(model, optimizer, loss_fn)\n"
        "trainer.run(loader, max_epochs=5)\n",
        "import lightning as L\nfabric = L.Fabric()\nfabric.seed_everything(7)\n"
        "for x in loader:\n    fabric.backward(model(x).sum())\n    optimizer.step()\n",
    )
    invalid = (
        (
            "import torch\nimport torch.multiprocessing as mp\n\ndef worker(rank):\n"
            "    for x, y in loader:\n        loss_fn(model(x), y).backward()\n"
            "        optimizer.step()\n\nif __name__ == '__main__':\n    torch.manual_seed(0)\n"
            "    mp.spawn(worker, nprocs=2)\n",
            7,
        ),
        (
            "import torch\nfor x, y in loader:\n    loss = loss_fn(model(x), y)\n"
            "    loss.backward()\n    optimizer.step()\n",
            5,
        ),
        (
            "import torch\ntorch.cuda.manual_seed_all(0)\nfor x, y in loader:\n"
            "    loss_fn(model(x), y).backward()\n    optimizer.step()\n",
            5,
        ),
        (
            "import argparse\nfrom lightning.pytorch import Trainer, seed_everything\n"
            "parser = argparse.ArgumentParser()\n"
            "parser.add_argument('--seed', type=int, default=None)\n"
            "args = parser.parse_args()\nif args.seed is not None:\n"
            "    seed_everything(args.seed)\nTrainer().fit(model)\n",
            8,
        ),
        (
            "import argparse\nimport torch\nparser = argparse.ArgumentParser()\n"
            "arg = parser.add_argument\narg('--seed', type=int)\nargs = parser.parse_args()\n"
            "if args.seed:\n    torch.manual_seed(args.seed)\nfor x, y in loader:\n"
            "    loss_fn(model(x), y).backward()\n    optimizer.step()\n",
            11,
        ),
        (
            "import torch\nnet = torch.nn.Linear(4, 1)\nfor x, y in batches:\n"
            "    net.zero_grad()\n    ((net(x) - y) ** 2).mean().backward()\n"
            "    for p in net.parameters():\n        p.data.add_(p.grad, alpha=-0.01)\n",
            7,
        ),
    )
    calls = _CUDA_ONLY

    def __init__(self) -> None:
        super().__init__()
        self.cuda_seed: ast.Call | None = None

    def check_call(self, call: ast.Call, name: str, ctx: FileContext) -> None:
        self.cuda_seed = self.cuda_seed or call

    def check_site(self, site: TrainingSite, ctx: FileContext) -> None:
        note = unmet_note(ctx, facts.SEED_TORCH)
        if not note and self.cuda_seed is not None:
            note = (
                f" (the call at line {self.cuda_seed.lineno} seeds only the CUDA generators, "
                "not the CPU generator that initialises weights)"
            )
        report_set_up(
            self, facts.SEED_TORCH, site, f"{site.what}: torch is never seeded{note}", ctx
        )
