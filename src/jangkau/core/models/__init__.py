from .progress import TaskProgress
from .provenance import ProvenanceModel

__all__ = ["ProvenanceModel", "TaskProgress"]
