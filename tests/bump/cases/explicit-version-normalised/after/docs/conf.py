project = "digits"
copyright = "2026, Jane Doe"
release = "1.0.0rc1"
extensions = ["sphinx.ext.autodoc"]
