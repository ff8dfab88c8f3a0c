project = "digits"
copyright = "2026, Jane Doe"
release = "0.1.0.dev0"
extensions = ["sphinx.ext.autodoc"]
