from __future__ import annotations

import re

from mltool.lint import facts
from mltool.lint.context import FileContext
from mltool.lint.program import TrainingSite
from mltool.lint.training import SetUpRule, report_set_up, unmet_note


class DeterministicAlgorithmsNotEnabled(SetUpRule):
    code = "DET203"
    name = "deterministic-algorithms-not-enabled"
    message = "this code trains, but deterministic algorithms are never switched on"
    hint = (
        "call torch.use_deterministic_algorithms(True) before training starts (with Lightning: "
        "Trainer(deterministic=True); with Hugging Face: TrainingArguments("
        "full_determinism=True))"
    )
    what = (
        "Flags code that trains when nothing it runs switches deterministic algorithms on. "
        "Training is a function or module body that calls `.backward()` and an optimiser "
        "step (`optimizer.step()`, `scaler.step(optimizer)`, or one written out: `p -= lr * "
        "p.grad`, `p.data.add_(p.grad, alpha=-lr)`; the `.backward()` may sit in a function "
        "of the file the body calls), gradients of parameters from `torch.autograd.grad("
        "loss, params)` with an optimiser step or a step down them (`w - lr * g`, as "
        "meta-learning's inner loop does; gradients of inputs train nothing), a Lightning "
        "trainer's "
        "`.fit(...)`, an Ignite trainer's `.run(...)`, a Hugging Face trainer's `.train()` "
        "(a name that says `trainer`, or "
        "one bound to `...Trainer(...)`) or `LightningCLI(...)`. It is "
        "reported once per file, at the first training call. Switching on is "
        "`torch.use_deterministic_algorithms(True)`, `torch.set_deterministic_debug_mode` "
        "with a non-zero mode, `Trainer(deterministic=True)`, `TrainingArguments("
        "full_determinism=True)`, or `set_seed(seed, deterministic=True)` of transformers, "
        "Accelerate or MMEngine (MONAI's `set_determinism(use_deterministic_algorithms="
        "True)`), in the file itself, in a project module it imports, or, "
        "for a library module, in the entry scripts that import it; a call that runs only "
        "under a command-line option that is off by default does not count. A training "
        "loop in a class of a package module whose own code does not train (a library "
        "`Trainer`) is left to the scripts that use it, and so is a file that imports "
        "`torch_xla` and puts nothing on a CUDA device: it trains on TPUs, whose XLA "
        "kernels the flag does not govern."
    )
    why = (
        "Without the flag torch silently runs non-deterministic kernels (atomics in "
        "scatter/index operations, cuDNN algorithm choice) and no operation raises to tell "
        "you."
    )
    valid = (
        "import torch\nimport torch_xla.core.xla_model as xm\n\ndef main(model, loader, opt):\n"
        "    device = xm.xla_device()\n    for x in loader:\n"
        "        model(x.to(device)).sum().backward()\n        opt.step()\n\n"
        "if __name__ == '__main__':\n    main(model, loader, opt)\n",
        "import torch\n\ndef main():\n    torch.use_deterministic_algorithms(True)\n"
        "    trainer.fit(model)\n\nif __name__ == '__main__':\n    main()\n",
        "def fit_all(models):\n    for m in models:\n        m.fit(data)\n",
        "from accelerate.utils import set_seed\nset_seed(0, deterministic=True)\n"
        "for x, y in loader:\n    accelerator.backward(loss_fn(model(x), y))\n    opt.step()\n",
        "import torch\ntorch.use_deterministic_algorithms(True)\nfor x, y in loader:\n"
        "    loss = model(x).sub(y).pow(2).mean()\n    loss.backward()\n    opt.step()\n",
        "from sklearn.linear_model import LogisticRegression\n"
        "clf = LogisticRegression()\nclf.fit(X, y)\n",
        "import torch\nx = image.clone().requires_grad_(True)\nmodel(x).max().backward()\n"
        "x.data += 0.01 * x.grad.sign()\nprint(model(x).argmax())\n",
        "def saliency(model, x):\n    model(x).max().backward()\n    return x.grad\n\n"
        "for x in images:\n    show(saliency(model, x))\n    progress.step()\n",
        "import utils\n\nif __name__ == '__main__':\n"
        "    utils.load_pretrained_weights(model, path)\n    pca = utils.PCA(dim=64)\n"
        "    pca.train_pca(cov)\n",
        "import torch\nx = images.clone().requires_grad_(True)\n"
        "g = torch.autograd.grad(loss_fn(model(x), y), x)[0]\nx_adv = x - 0.01 * g.sign()\n",
    )
    invalid = (
        (
            "import torch\nimport torch_xla.core.xla_model as xm\n\n"
            "def main(model, loader, opt):\n    for x in loader:\n"
            "        model(x.cuda()).sum().backward()\n        opt.step()\n\n"
            "if __name__ == '__main__':\n    main(model, loader, opt)\n",
            7,
        ),
        ("def main():\n    trainer.fit(model)\n\nif __name__ == '__main__':\n    main()\n", 2),
        (
            "import torch\n\ndef inner_step(weights, x, y, lr):\n"
            "    grads = torch.autograd.grad(loss_fn(x, y, weights), weights)\n"
            "    return [w - lr * g for w, g in zip(weights, grads)]\n\n"
            "fast = inner_step(weights, x, y, 0.1)\n",
            7,
        ),
        (
            "def train(model, loader, optimizer, scaler):\n    for x, y in loader:\n"
            "        loss = model(x, y)\n        scaler.scale(loss).backward()\n"
            "        scaler.step(optimizer)\n        scaler.update()\n",
            5,
        ),
        ("import lightning as L\ntrainer = L.Trainer(max_epochs=3)\ntrainer.fit(model, dm)\n", 3),
        (
            "import torch\nfor x in loader:\n    loss_d(x).backward()\n    opt_d.step()\n"
            "    loss_g(x).backward()\n    opt_g.step()\n",
            4,
        ),
        (
            "from ignite.engine import create_supervised_trainer\n"
            "trainer = create_supervised_trainer(model, optimizer, loss_fn)\n"
            "trainer.run(loader, max_epochs=5)\n",
            3,
        ),
        (
            "from engine import train_one_epoch\n\ndef main(args):\n    model = build(args)\n"
            "    for epoch in range(args.epochs):\n        train_one_epoch(model, loader)\n",
            6,
        ),
        (
            "import torch\n\ndef train(epoch):\n    for x, y in loader:\n"
            "        criterion(net(x), y).backward()\n        optimizer.step()\n\n"
            "for epoch in range(200):\n    train(epoch)\n",
            9,
        ),
        (
            "import argparse\nimport torch\np = argparse.ArgumentParser()\n"
            "p.add_argument('--deterministic', action='store_true')\nargs = p.parse_args()\n"
            "if args.deterministic:\n    torch.use_deterministic_algorithms(True)\n"
            "for x in data:\n    model(x).sum().backward()\n    optimizer.step()\n",
            10,
        ),
        (
            "import torch\nw = torch.zeros(8, 1, requires_grad=True)\nfor x, y in batches:\n"
            "    ((x @ w - y) ** 2).mean().backward()\n    with torch.no_grad():\n"
            "        w -= 0.1 * w.grad\n        w.grad.zero_()\n",
            6,
        ),
        ("import lightning.pytorch as pl\nt = pl.Trainer(max_epochs=1)\nt.fit(model, dm)\n", 3),
        (
            "def train_step(model, batch):\n    loss = model(batch).sum()\n    loss.backward()\n"
            "    return loss\n\nfor batch in loader:\n    train_step(model, batch)\n"
            "    optimizer.step()\n    optimizer.zero_grad()\n",
            8,
        ),
        (
            "class Trainer:\n    def train(self):\n        for x in self.loader:\n"
            "            self.model(x).sum().backward()\n            self.opt.step()\n\n"
            "if __name__ == '__main__':\n    Trainer().train()\n",
            5,
        ),
        (  # cuDNN's flag alone leaves scatter, index_add, ... non-deterministic
            "import torch\ntorch.backends.cudnn.deterministic = True\nfor x in loader:\n"
            "    model(x).sum().backward()\n    opt.step()\n",
            5,
        ),
    )

    def check_site(self, site: TrainingSite, ctx: FileContext) -> None:
        if _XLA.search(ctx.source) and not _CUDA.search(ctx.source):
            return  # trains on XLA devices, whose kernels the flag does not govern
        message = f"{site.what}: torch.use_deterministic_algorithms(True) is never called"
        message += unmet_note(ctx, facts.DETERMINISTIC)
        if _CUDNN_ONLY.search(ctx.source):
            message += (
                " (torch.backends.cudnn.deterministic = True covers cuDNN's kernels only, "
                "not scatter, index_add or the backward of pooling and interpolation)"
            )
        report_set_up(self, facts.DETERMINISTIC, site, message, ctx)


_CUDNN_ONLY = re.compile(r"cudnn\.deterministic\s*=\s*True\b")
#: a file that imports torch_xla and never puts anything on a CUDA device trains on TPUs
_XLA = re.compile(r"^\s*(?:import|from)\s+torch_xla\b", re.M)
_CUDA = re.compile(r"""\.cuda\(|device\(\s*["']cuda|\.to\(\s*["']cuda|cuda\.is_available""")
