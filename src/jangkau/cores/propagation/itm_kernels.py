r"""Compiled per-profile loops of the ITM terrain geometry (numba).

Three steps of :mod:`.itm_terrain` walk along every profile point by point: the horizon
search (ITM ``hzns``), the resampling and detrending of :math:`\Delta h` (``dlthx``) and the
window sums of the least-squares lines (``zlsq1``). As numpy array expressions they cost a
pass over memory for each arithmetic step plus gathers through index arrays; here each is one
loop per profile, compiled by numba [1]_ to machine code, with the same floating-point
operations in the same order as the array form they replace (no ``fastmath``): IEEE results,
the same for a profile whatever the other profiles of the call.

The kernels take and return plain arrays and know nothing of ITM's parameters; the formulas
are documented where they are used, in :mod:`.itm_terrain`. Compiled code is cached on disk
(numba's ``cache=True``: next to this module, or in the user's cache directory when that is
not writable), so only the first call on a machine pays for compilation (about 1.5 s on the
benchmark machine); later processes load the machine code in a fraction of a second.

References
----------
.. [1] S. K. Lam, A. Pitrou and S. Seibert, "Numba: a LLVM-based Python JIT compiler",
   Proc. 2nd Workshop on the LLVM Compiler Infrastructure in HPC, 2015.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["horizon_points", "resample_detrended", "window_sums"]


@njit(cache=True, nogil=True)
def horizon_points(z, za, zb, curv, threshold, inv_i, inv_j):
    r"""Profile indices of the largest elevation angle seen from each end.

    For row ``r`` and interior point ``i`` (``1 <= i <= n - 1``) the transmitter's scaled
    angle is ``(z[r, i] - za[r]) * inv_i[i] - curv[r] * i``; its first maximum is
    ``best0[r]``. The receiver's, ``(z[r, i] - zb[r]) * inv_j[i] + curv[r] * i``, is only
    searched where the transmitter's maximum comes within a relative 1e-9 of
    ``threshold[r]`` (something may obstruct the ray); elsewhere ``best1[r]`` is 0.

    Returns
    -------
    best0, best1 : numpy.ndarray of intp, shape (m,)
    """
    m, n_pts = z.shape
    n = n_pts - 1
    best0 = np.zeros(m, dtype=np.intp)
    best1 = np.zeros(m, dtype=np.intp)
    for r in range(m):
        a = za[r]
        c = curv[r]
        top = -np.inf
        arg = 0
        for i in range(1, n):
            t = (z[r, i] - a) * inv_i[i] - c * i
            if t > top:
                top = t
                arg = i
        best0[r] = arg
        limit = threshold[r]
        if top > limit - 1e-9 * (abs(limit) + 1.0):
            b = zb[r]
            top = -np.inf
            arg = 0
            for i in range(1, n):
                t = (z[r, i] - b) * inv_j[i] + c * i
                if t > top:
                    top = t
                    arg = i
            best1[r] = arg
    return best0, best1


@njit(cache=True, nogil=True)
def resample_detrended(z, rows, start, width, weights, out):
    r"""Resample profiles linearly at equal steps and subtract their least-squares slope.

    Row ``q`` of ``out`` (``N = weights.size`` columns) gets profile ``rows[q]`` of ``z``
    sampled at the fractional indices ``p_j = start + j * width / (N - 1)``,
    ``u_j = z[lo] + (z[lo + 1] - z[lo]) (p_j - lo)`` with ``lo = min(floor(p_j), n - 1)``,
    minus ``s * j`` where the slope ``s = sum_j weights[j] u_j`` (the weights carry the
    least-squares normalisation). The sum runs in four interleaved partial sums.

    ``start`` and ``width`` are indexed by the profile (``rows[q]``), not by ``q``.
    """
    n_pts = z.shape[1]
    size = weights.size
    sn = size - 1.0
    last = n_pts - 2
    jj = np.arange(size).astype(np.float64)
    lo = np.empty(size, dtype=np.intp)
    frac = np.empty(size)
    for q in range(rows.size):
        r = rows[q]
        zr = z[r]
        row = out[q]
        step = width[r] / sn
        x0 = start[r]
        # Positions first (a loop the compiler vectorises), then the gather.
        for j in range(size):
            p = step * jj[j] + x0
            k = min(np.intp(p), last)
            lo[j] = k
            frac[j] = p - k
        for j in range(size):
            a = zr[lo[j]]
            row[j] = a + (zr[lo[j] + 1] - a) * frac[j]
        s0 = 0.0
        s1 = 0.0
        s2 = 0.0
        s3 = 0.0
        j = 0
        while j + 3 < size:
            s0 += row[j] * weights[j]
            s1 += row[j + 1] * weights[j + 1]
            s2 += row[j + 2] * weights[j + 2]
            s3 += row[j + 3] * weights[j + 3]
            j += 4
        while j < size:
            s0 += row[j] * weights[j]
            j += 1
        slope = (s0 + s1) + (s2 + s3)
        for j in range(size):
            row[j] -= slope * jj[j]


@njit(cache=True, nogil=True)
def window_sums(z, rows, ja, jb):
    r"""Sums :math:`\sum_{j=j_a}^{j_b} z_j` and :math:`\sum_{j=j_a}^{j_b} j z_j` per window.

    Window ``q`` covers samples ``ja[q]`` to ``jb[q]`` (inclusive) of profile ``rows[q]``;
    even and odd samples are summed apart and the two partial sums added at the end.

    Returns
    -------
    s0, s1 : numpy.ndarray, shape (k,)
    """
    k = rows.size
    s0 = np.empty(k)
    s1 = np.empty(k)
    for q in range(k):
        r = rows[q]
        # Two interleaved partial sums of each kind (even and odd samples).
        a0 = 0.0
        a1 = 0.0
        b0 = 0.0
        b1 = 0.0
        j = ja[q]
        end = jb[q] + 1
        while j + 1 < end:
            u = z[r, j]
            v = z[r, j + 1]
            a0 += u
            a1 += v
            b0 += j * u
            b1 += (j + 1) * v
            j += 2
        if j < end:
            u = z[r, j]
            a0 += u
            b0 += j * u
        s0[q] = a0 + a1
        s1[q] = b0 + b1
    return s0, s1
