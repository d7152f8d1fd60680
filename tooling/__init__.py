"""Tooling behind `tasks.py` and the tests: toolchain bootstrap, Terraform runs, HCL helpers."""
