"""Radio propagation models (pure numpy; nothing here imports Django)."""

from jangkau.cores.propagation.itm import ItmResult, itm_p2p
from jangkau.cores.propagation.p2p_batch import run_p2p

__all__ = ["ItmResult", "itm_p2p", "run_p2p"]
