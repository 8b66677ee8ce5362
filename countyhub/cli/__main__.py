"""``python -m countyhub.cli``: the ``countyhub`` command without its script."""

from countyhub.cli import main

main(prog_name="countyhub")
