"""Prove reproducibility by running: ``mltool verify`` trains N times and compares the runs,
``mltool compare`` explains why two runs differ."""
