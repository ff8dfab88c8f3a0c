from __future__ import annotations

from mltool.lint.ops import OpRule, functional, modules


class CtcLoss(OpRule):
    code = "DET111"
    name = "ctc-loss"
    backward_only = True
    cuda_only = True
    message = "CTC loss raises under deterministic algorithms"
    hint = (
        "meet the cuDNN CTC conditions (blank=0, int32 targets on CPU, all input lengths "
        "equal to T, target lengths <= 256) and suppress with # mltool: ignore[DET111]"
    )
    what = "Flags `nn.CTCLoss` and `F.ctc_loss`."
    why = (
        "The native CUDA backward of CTC loss raises under "
        "`torch.use_deterministic_algorithms(True)`. Only the cuDNN path, taken under narrow "
        "conditions that cannot be seen in the code, is deterministic."
    )
    valid = ("from torch import nn\nloss_fn = nn.CrossEntropyLoss()\n",)
    invalid = (("from torch import nn\nloss_fn = nn.CTCLoss(blank=0)\n", 2),)
    calls = modules("CTCLoss") | functional("ctc_loss")
