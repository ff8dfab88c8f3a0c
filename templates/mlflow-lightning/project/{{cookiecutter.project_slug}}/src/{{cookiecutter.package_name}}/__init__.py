"""{{ cookiecutter.project_name }}: a PyTorch Lightning + MLflow project that trains reproducibly."""

__version__ = "{{ cookiecutter.version }}"
