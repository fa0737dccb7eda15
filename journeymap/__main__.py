"""python -m journeymap"""

from .cli import run

run()
