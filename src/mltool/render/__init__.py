"""Templates to files on disk: the template catalogue, answers, rendering and ``create``."""
