"""Adversarial images, computed: a projected-gradient attack on vision-encoder features (R.4, R.5).

- :mod:`~pytest_multitrust.attacks.pgd`: the attack (L∞ ε = 16/255, step 1/255, 50 steps by default, as the
  official SSA-CommonWeakness settings), its parameters and the ``--attack-arg`` parsing;
- :mod:`~pytest_multitrust.attacks.encoders` and :mod:`~pytest_multitrust.attacks.families`: the encoders it
  differentiates through (the model under test's, or ``--surrogate`` checkpoints);
- :mod:`~pytest_multitrust.attacks.cache`: adversarial PNGs on disk, so a rerun attacks nothing;
- :mod:`~pytest_multitrust.attacks.adversarial`: cache lookups and attacks for a task's ``prepare`` step.

Nothing here imports torch at module level: task modules import these, and the plugin loads task modules.
"""
