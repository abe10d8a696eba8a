r"""Element-wise ``min``/``max`` with the semantics of Python's built-ins, for the ITM modules.

The ITM algorithm is written with scalar ``min``/``max`` (``mymin``/``mymax`` in NTIA's
``itm.cpp``, :func:`min`/:func:`max` in the itmlogic port against which this package is
validated). On ordinary numbers they agree with :func:`numpy.minimum`/:func:`numpy.maximum`;
they differ only when an operand is NaN, which in ITM can only happen in degenerate geometries
(for example a negative scatter angle, see :mod:`.itm_attenuation`). Python's rule is

.. math::

    \max(a, b) = \begin{cases} b & b > a \\ a & \text{otherwise} \end{cases}, \qquad
    \min(a, b) = \begin{cases} b & b < a \\ a & \text{otherwise} \end{cases},

so a NaN in the *second* position is ignored and a NaN in the *first* position is kept. The
helpers below apply that rule element-wise, so our vectorised code propagates (or drops) NaN in
exactly the same places as the reference.
"""

from __future__ import annotations

import numpy as np


def py_max(a, b) -> np.ndarray:
    """Element-wise ``max(a, b)`` with Python's NaN semantics.

    Parameters
    ----------
    a, b : array_like
        Operands, broadcast against each other.

    Returns
    -------
    numpy.ndarray
        ``b`` where ``b > a``, else ``a``.
    """
    return np.where(b > a, b, a)


def py_min(a, b) -> np.ndarray:
    """Element-wise ``min(a, b)`` with Python's NaN semantics.

    Parameters
    ----------
    a, b : array_like
        Operands, broadcast against each other.

    Returns
    -------
    numpy.ndarray
        ``b`` where ``b < a``, else ``a``.
    """
    return np.where(b < a, b, a)
