"""Coverage in the app: terrain, coverage runs, per-village predictions and what-if sites.

The computation itself is the pure core :mod:`jangkau.cores.propagation`; this app stores its
inputs and results, runs it as a background task, publishes model predictions as evidence and
draws the result on the map. (Named ``radio``: an app called ``coverage`` would clash with the
coverage.py package.)
"""
