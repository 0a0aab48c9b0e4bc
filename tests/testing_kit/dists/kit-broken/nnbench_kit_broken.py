"""A test plugin that cannot be imported, like one whose dependency is missing."""

raise ImportError("nnbench_kit_broken needs the 'unobtainium' package")
