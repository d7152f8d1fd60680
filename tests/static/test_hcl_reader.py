"""tooling/hcl.py parses each text once per process: callers still get a copy of their own, and a file changed on
disk is read anew."""

from __future__ import annotations

from pathlib import Path

from tooling import hcl


def test_a_changed_file_is_parsed_again(tmp_path: Path) -> None:
    tf = tmp_path / "main.tf"
    tf.write_text('locals {\n  a = "one"\n}\n')
    assert hcl.load_file(tf) == {"locals": [{"a": "one"}]}
    tf.write_text('locals {\n  a = "two"\n}\n')
    assert hcl.load_file(tf) == {"locals": [{"a": "two"}]}


def test_each_caller_gets_its_own_copy(tmp_path: Path) -> None:
    tf = tmp_path / "main.tf"
    tf.write_text('locals {\n  a = "one"\n}\n')
    first = hcl.load_file(tf)
    first["locals"][0]["a"] = "changed by a caller"
    first["extra"] = []
    assert hcl.load_file(tf) == {"locals": [{"a": "one"}]}
