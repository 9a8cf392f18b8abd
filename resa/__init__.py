"""RESA, reasoning-enhanced safety alignment: a training set that teaches a model to reason about the risk in
the image, in the text and in their combination before it refuses or helps (``resa data``), a trainer whose
checkpoints go back through the suite, and the loop that compares them with their base.

- :mod:`resa.banks`: training-only harmful activities, benign look-alikes with their answers, prompt templates.
- :mod:`resa.targets`: the target format (a reasoning block, then the answer), template and teacher rationales.
- :mod:`resa.data`: :func:`~resa.data.build_dataset`, the JSONL + PNG writer; :mod:`resa.data_utility` its
  utility items from the suite's T.1/T.2 generators.
- :mod:`resa.cli_data`: the ``resa data`` subcommand.
- :mod:`resa.train` (with ``train_*``) and :mod:`resa.cli_train`: the trainer and ``resa train``.

Importing the package imports nothing heavy (no torch, no Pillow).
"""
