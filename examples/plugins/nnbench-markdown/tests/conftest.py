pytest_plugins = ["nnbench.testing"]
