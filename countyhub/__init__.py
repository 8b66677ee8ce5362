"""countyhub: the shared logistics information platform of a rural county."""
