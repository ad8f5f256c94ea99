"""contract-flow: a workflow engine for apprenticeship contracts."""

__version__ = "0.1.0"
