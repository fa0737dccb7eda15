"""python -m journeymap"""

import sys

try:
    from .cli import run
except KeyboardInterrupt:  # Ctrl-C while Python imports journeymap: no traceback
    sys.exit(130)

run()
