from __future__ import annotations

import ast

from mltool.lint import callers, facts
from mltool.lint.context import FileContext
from mltool.lint.rule import Rule


class EnvironmentUnseeded(Rule):
    code = "DET309"
    name = "environment-unseeded"
    about_runs = True
    message = "a Gym environment's own generator is never seeded: episodes differ per run"
    hint = (
        "seed the environment on its first reset, env.reset(seed=seed), and its action "
        "space once, env.action_space.seed(seed): global seeds do not reach either"
    )
    what = (
        "In files that mention Gym or Gymnasium, flags the first `env.reset()` (on a "
        "receiver named for an environment: `env`, `self.env`, `envs`) when nothing that "
        "runs the code resets an environment with `seed=` (or calls old Gym's "
        "`env.seed(s)` or TorchRL's `env.set_seed(s)`), and the first "
        "`action_space.sample()` when nothing calls "
        "`action_space.seed(s)`. Later resets without a seed are fine: they continue the "
        "seeded stream."
    )
    why = (
        "An environment draws its initial states from its own NumPy generator, and an action "
        "space samples from another one; both start from OS entropy unless seeded "
        "explicitly. `random.seed`, `np.random.seed`, `torch.manual_seed` and "
        "`seed_everything` reach neither, so a seeded agent still sees different episodes "
        "and explores differently in every run."
    )
    valid = (
        "import gymnasium as gym\nenv = gym.make('CartPole-v1')\nstate, _ = env.reset(seed=0)\n"
        "env.action_space.seed(0)\naction = env.action_space.sample()\n"
        "state, _ = env.reset()\n",
        "import gym\nenv = gym.make('CartPole-v1')\nenv.seed(42)\nstate = env.reset()\n",
        "from torchrl.envs import GymEnv\nbase_env = GymEnv('CartPole-v1')\nbase_env.set_seed(0)\n"
        "state = base_env.reset()\n",
        "import gymnasium as gym\n\ndef rollout(env, policy):\n    state, _ = env.reset()\n"
        "    return policy(state)\n\nif __name__ == '__main__':\n"
        "    env = gym.make('CartPole-v1')\n    env.reset(seed=1)\n"
        "    rollout(env, print)\n",
    )
    invalid = (
        ("import gymnasium as gym\nenv = gym.make('CartPole-v1')\nstate, _ = env.reset()\n", 3),
        (
            "import gymnasium as gym\nenv = gym.make('CartPole-v1')\nenv.reset(seed=0)\n"
            "action = env.action_space.sample()\n",
            4,
        ),
        (
            "import gym\nimport torch\n\ndef run(env, policy, opt):\n    state = env.reset()\n"
            "    policy(torch.tensor(state)).sum().backward()\n    opt.step()\n\n"
            "if __name__ == '__main__':\n    run(gym.make('CartPole-v1'), policy, opt)\n",
            5,
        ),
    )
    nodes = (ast.Call,)
    words = frozenset({"reset", "action_space"})
    visit_needs = frozenset({"gym", "Gym"})

    def __init__(self) -> None:
        self.reported: set[str] = set()

    def visit(self, node: ast.AST, ctx: FileContext) -> None:
        call: ast.Call = node  # type: ignore[assignment]
        func = call.func
        if not isinstance(func, ast.Attribute) or func.attr not in ("reset", "sample"):
            return
        receiver = ast.unparse(func.value)
        if func.attr == "sample" and receiver.endswith("action_space") and not call.args:
            self._report(call, facts.SEED_ACTION_SPACE, f"{receiver}.sample()", ctx)
        elif (
            func.attr == "reset"
            and facts.ENVIRONMENT.search(receiver)
            and all(k.arg != "seed" for k in call.keywords)
        ):
            self._report(call, facts.SEED_ENVIRONMENT, f"{receiver}.reset()", ctx)

    def _report(self, call: ast.Call, fact: str, shown: str, ctx: FileContext) -> None:
        if fact in self.reported:
            return  # once per file and generator
        who = callers.owner(call, ctx)
        if who is callers.Owner.NOBODY:
            return
        self.reported.add(fact)
        space = fact == facts.SEED_ACTION_SPACE
        message = (
            f"{shown} draws from the action space's own generator, which nothing seeds: "
            "exploration differs per run"
            if space
            else f"{shown} without seed=, and no reset is seeded: the environment's "
            "generator starts from OS entropy, so episodes differ per run"
        )
        ctx.report_unless(fact, self, call, message, callers_decide=who is callers.Owner.CALLERS)
