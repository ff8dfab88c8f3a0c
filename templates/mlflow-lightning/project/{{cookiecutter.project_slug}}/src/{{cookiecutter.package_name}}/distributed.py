"""Which process of a distributed training is global rank 0, known before the Trainer exists.

Only that process talks to MLflow (:func:`{{ cookiecutter.package_name }}.tracking.run`), so a
training opens exactly one run, however many processes and machines it has. The processes of a DDP
training are started in one of these ways (``docs/scaling.rst``), and each says its rank in its own
environment variables, read here in the order Lightning's Trainer reads them:

- ``torchrun`` (or any launcher following ``torch.distributed``'s convention) sets ``RANK``;
- SLURM's ``srun`` sets ``SLURM_PROCID``; LSF's ``jsrun`` sets ``JSM_NAMESPACE_RANK``;
- otherwise Lightning starts the processes of each machine itself: its main process (started by you
  or ``mlflow run`` with ``NODE_RANK`` set on every machine but the first) starts one process per
  further device with ``LOCAL_RANK`` set. Global rank 0 is local rank 0 on node 0.

``NODE_RANK=1`` alone is the second machine's main process, not global rank 0.
"""

from __future__ import annotations

import os


def is_global_zero() -> bool:
    """Whether this process is (or, once the Trainer starts, will be) global rank 0."""
    from pytorch_lightning.plugins.environments import (
        LightningEnvironment,
        LSFEnvironment,
        MPIEnvironment,
        SLURMEnvironment,
    )

    if "RANK" in os.environ:  # torchrun, TorchElastic, Kubeflow
        return int(os.environ["RANK"]) == 0
    if SLURMEnvironment.detect():
        return int(os.environ["SLURM_PROCID"]) == 0
    if LSFEnvironment.detect():
        return int(os.environ["JSM_NAMESPACE_RANK"]) == 0
    if MPIEnvironment.detect():
        return MPIEnvironment().global_rank() == 0
    lightning = LightningEnvironment()
    return lightning.node_rank() == 0 and lightning.local_rank() == 0
