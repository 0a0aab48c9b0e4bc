"""nnbench-markdown: Markdown summary tables of nnbench runs (``--output summary.md``)."""

__version__ = "0.1.0"
