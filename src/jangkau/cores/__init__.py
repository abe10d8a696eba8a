"""Pure computational cores.

Nothing under ``jangkau.cores`` imports Django: each core takes and returns arrays and plain
data (dataclasses), so it runs the same in a test, a benchmark, a CLI, a task worker or a Dask
worker.
"""
