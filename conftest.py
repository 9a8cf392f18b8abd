"""Root conftest: keep runs offline and predictable. Nothing else belongs here."""

import os

# A stray hub id must fail fast instead of hanging on the network (this project never downloads at run time).
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# xdist workers each run their own model: one BLAS thread per worker stops them fighting over the cores.
if os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ.setdefault("OMP_NUM_THREADS", "1")
