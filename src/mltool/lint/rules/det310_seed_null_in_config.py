from __future__ import annotations

from mltool.lint.rule import Rule


class SeedNullInConfig(Rule):
    code = "DET310"
    name = "seed-null-in-config"
    about_runs = True
    message = "the configuration's seed is null: runs are not seeded by default"
    hint = "set seed to a number in the primary config (seed: 42) and log it with the run"
    what = (
        "Flags `seed: null` (or an empty `seed:`) at the top of a Hydra primary "
        "configuration, one with a `defaults` list."
    )
    why = (
        "Training code built on such configurations seeds only when a seed is given "
        '(`if cfg.get("seed"): seed_everything(cfg.seed)`): with null every run starts '
        "from fresh entropy."
    )
    config_keys = frozenset({("main", "seed")})
    yaml_valid = ("defaults:\n  - trainer: default\n  - _self_\nseed: 42\n",)
    yaml_invalid = (("defaults:\n  - trainer: default\n  - _self_\nseed: null\n", 4),)

    def check_config(self, section: str, key: str, value: object) -> str | None:
        return self.message if value is None else None
