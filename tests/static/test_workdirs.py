"""The work-directory cache: a private copy each time, `terraform init` once per distinct content."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tooling import mocks, tfrun
from tooling.pins import ROOT


@dataclass(frozen=True)
class RecordingRunner(tfrun.Runner):
    """Records each init and leaves what init would: a `.terraform` directory and a lock file."""

    inited: list[Path] = field(default_factory=list)

    def init(self, cwd: Path) -> tfrun.Result:
        self.inited.append(cwd)
        (cwd / ".terraform" / "providers").mkdir(parents=True)
        (cwd / ".terraform" / "modules.json").write_text('{"Modules": []}')
        (cwd / tfrun.LOCK).write_text(f"# lock of {len(self.inited)}\n")
        return tfrun.Result(0, "", "")


def test_the_same_content_is_initialized_once_and_each_copy_is_private(tmp_path: Path) -> None:
    runner = RecordingRunner("terraform")
    workdirs = tfrun.Workdirs(runner, tmp_path)
    first = workdirs.get("examples/minimal")
    (first / "scratch.txt").write_text("written by one test")
    second = workdirs.get("examples/minimal")
    assert runner.inited == [first] and workdirs.inits == 1
    assert second != first and not (second / "scratch.txt").exists()
    assert (second / ".terraform" / "modules.json").read_text() == '{"Modules": []}'
    assert (second / tfrun.LOCK).read_text() == "# lock of 1\n"
    assert (second / "main.tf").read_text() == (first / "main.tf").read_text()


def test_other_content_or_another_directory_is_initialized_again(tmp_path: Path) -> None:
    runner = RecordingRunner("terraform")
    workdirs = tfrun.Workdirs(runner, tmp_path)
    plain = workdirs.get("examples/minimal")
    extra = workdirs.get("examples/minimal", files={"cases/a.tftest.hcl": "# a\n"})
    again = workdirs.get("examples/minimal", files={"cases/a.tftest.hcl": "# a\n"})
    other = workdirs.get("examples/production")
    assert runner.inited == [plain, extra, other]
    assert (again / "cases" / "a.tftest.hcl").read_text() == "# a\n"
    assert (again / tfrun.LOCK).read_text() == "# lock of 2\n"


def test_a_runner_passes_its_environment_over_the_process_one(tmp_path: Path) -> None:
    runner = tfrun.Runner("sh", {"TFDOM_PROBE": "from-runner"}).with_env(OTHER="x")
    result = runner.run(["-c", 'printf "%s %s %s" "$TFDOM_PROBE" "$OTHER" "$TF_IN_AUTOMATION"'], tmp_path)
    assert (result.returncode, result.stdout) == (0, "from-runner x 1")
    assert runner.run(["-c", 'printf "%s" "$TFDOM_PROBE"'], tmp_path, env={"TFDOM_PROBE": "call"}).stdout == "call"


def test_a_view_reads_as_the_directory_and_keeps_what_terraform_writes(tmp_path: Path) -> None:
    view = tfrun.view("examples/minimal", tmp_path / "view")
    assert view == tmp_path / "view" / "examples" / "minimal" and not view.is_symlink()
    assert (view / "main.tf").is_symlink() and (view / "main.tf").resolve() == ROOT / "examples/minimal/main.tf"
    # The example's `../../` and the root's `./modules/...` reach the project's own files.
    assert (view / "../../modules/doks/main.tf").resolve() == ROOT / "modules/doks/main.tf"
    assert (tmp_path / "view" / "main.tf").resolve() == ROOT / "main.tf"
    lock = ROOT / "examples/minimal" / tfrun.LOCK
    had = lock.read_bytes() if lock.is_file() else None
    (view / tfrun.LOCK).write_text("# written by init\n")
    assert (lock.read_bytes() if lock.is_file() else None) == had


def test_a_view_leaves_out_what_terraform_wrote_in_the_tree(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "examples" / "x" / ".terraform").mkdir(parents=True)
    (project / "examples" / "x" / "main.tf").write_text('module "root" {\n  source = "../../"\n}\n')
    (project / "examples" / "x" / tfrun.LOCK).write_text("# someone's lock\n")
    (project / "main.tf").write_text("")
    (project / ".terraform").mkdir()
    view = tfrun.view("examples/x", tmp_path / "view", root=project)
    assert sorted(p.name for p in view.iterdir()) == ["main.tf"]
    assert sorted(p.name for p in (tmp_path / "view").iterdir()) == ["examples", "main.tf"]


def test_an_opentofu_view_writes_the_shared_mocks_into_the_test_files(tmp_path: Path) -> None:
    view = tfrun.view("modules/spaces", tmp_path / "view", opentofu=True)
    written = view / "tests" / "spaces.tftest.hcl"
    original = ROOT / "modules/spaces/tests/spaces.tftest.hcl"
    assert not written.is_symlink() and "mock_provider" in written.read_text()
    assert written.read_text() == mocks.inline_sources(original.read_text(), ROOT / "modules/spaces")
    assert written.read_text() != original.read_text()
    assert (view / "main.tf").is_symlink()
