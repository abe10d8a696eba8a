"""``python -m jangkau.agent``: the probe agent (same as ``jangkau agent``)."""

import sys

from jangkau.agent.runner import main

sys.exit(main(sys.argv[1:]))
