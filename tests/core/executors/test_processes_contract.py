"""The built-in executors against ExecutorContract."""

from nnbench.testing import ExecutorContract


class TestProcesses(ExecutorContract):
    executor = "processes:2"


class TestSerial(ExecutorContract):
    executor = "serial"
