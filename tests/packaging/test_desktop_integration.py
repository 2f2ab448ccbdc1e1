"""The Linux desktop entry, the .meshplan file type, the installer and the build scripts."""

from __future__ import annotations

import ast
import configparser
import os
import runpy
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import require

MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"


@pytest.fixture(scope="module")
def packaging(repo_root: Path) -> Path:
    return repo_root / "packaging"


def test_desktop_entry_validates(packaging: Path) -> None:
    validator = shutil.which("desktop-file-validate")
    require(validator is not None, "desktop-file-validate (Debian package desktop-file-utils)")
    assert validator is not None
    result = subprocess.run(
        [validator, str(packaging / "linux" / "mesh-workbench.desktop")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_desktop_entry_opens_plans(packaging: Path) -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(packaging / "linux" / "mesh-workbench.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application"
    assert section["Exec"].split()[0] == "mesh-workbench" and "%f" in section["Exec"]
    assert section["MimeType"].split(";")[0] == "application/x-meshplan"
    assert section["Icon"] == "mesh-workbench"
    assert section["Terminal"] == "false"


def test_mime_type_matches_the_file_name_not_gzip_magic(packaging: Path) -> None:
    root = ET.parse(packaging / "linux" / "mesh-workbench-mime.xml").getroot()
    assert root.tag == f"{MIME_NS}mime-info"
    (mime,) = root.findall(f"{MIME_NS}mime-type")
    assert mime.get("type") == "application/x-meshplan"
    assert [g.get("pattern") for g in mime.findall(f"{MIME_NS}glob")] == ["*.meshplan"]
    assert mime.find(f"{MIME_NS}magic") is None
    assert mime.findtext(f"{MIME_NS}comment")


def test_install_and_uninstall_into_xdg_folders(
    packaging: Path, tmp_path: Path, sample_plan_path: Path
) -> None:
    data, home = tmp_path / "share", tmp_path / "home"
    env = {**os.environ, "XDG_DATA_HOME": str(data), "HOME": str(home)}
    target = "/opt/mesh tools/mesh-workbench"

    def install(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", str(packaging / "install-desktop.sh"), *args],
            capture_output=True,
            text=True,
            env=env,
            check=False,
            timeout=60,
        )

    result = install("--exec", target)
    assert result.returncode == 0, result.stderr
    desktop = data / "applications" / "mesh-workbench.desktop"
    assert f'Exec="{target}" %f' in desktop.read_text().splitlines()
    assert (data / "mime" / "packages" / "mesh-workbench.xml").is_file()
    for size in (16, 48, 256):
        assert (data / f"icons/hicolor/{size}x{size}/apps/mesh-workbench.png").is_file()
        assert (
            data / f"icons/hicolor/{size}x{size}/mimetypes/application-x-meshplan.png"
        ).is_file()
    assert (data / "icons/hicolor/scalable/apps/mesh-workbench.svg").is_file()
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(desktop)], capture_output=True)
        assert check.returncode == 0, check.stdout
    if shutil.which("update-mime-database"):
        globs = (data / "mime" / "globs2").read_text()
        assert "application/x-meshplan:*.meshplan" in globs
    if shutil.which("xdg-mime"):
        query = subprocess.run(
            ["xdg-mime", "query", "filetype", str(sample_plan_path)],
            capture_output=True,
            text=True,
            env={**env, "XDG_DATA_DIRS": str(data)},
            check=False,
        )
        assert query.stdout.strip() == "application/x-meshplan"

    result = install("--uninstall")
    assert result.returncode == 0, result.stderr
    assert not desktop.exists()
    assert not list(data.glob("icons/**/*.png")) and not list(data.glob("icons/**/*.svg"))
    assert not (data / "mime" / "packages" / "mesh-workbench.xml").exists()


def test_install_without_a_build_says_what_to_do(packaging: Path, tmp_path: Path) -> None:
    copy = tmp_path / "checkout" / "packaging"
    shutil.copytree(packaging / "linux", copy / "linux")
    shutil.copy(packaging / "install-desktop.sh", copy)
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "share"), "HOME": str(tmp_path)}
    result = subprocess.run(
        ["bash", str(copy / "install-desktop.sh")], capture_output=True, text=True, env=env
    )
    assert result.returncode == 1
    assert "run packaging/build.sh first" in result.stderr
    assert not (tmp_path / "share" / "applications").exists()


@pytest.mark.parametrize("script", ["build.sh", "ci-frozen-check.sh", "install-desktop.sh"])
def test_shell_scripts_parse_and_are_executable(packaging: Path, script: str) -> None:
    path = packaging / script
    assert os.access(path, os.X_OK), f"{script} is not executable"
    result = subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_spec_and_hooks_are_valid_python(packaging: Path) -> None:
    for path in [packaging / "mesh-workbench.spec", *sorted((packaging / "hooks").glob("*.py"))]:
        ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def test_schema_hook_bundles_exactly_what_the_exporter_reads(packaging: Path) -> None:
    from kubernetes_validate import utils

    from workbench.io.manifests.validate import CORE_FILES, _core_dir

    datas = runpy.run_path(str(packaging / "hooks" / "hook-kubernetes_validate.py"))["datas"]
    folders: dict[str, set[str]] = {}
    for src, dest in datas:
        assert Path(src).is_file()
        folders.setdefault(Path(dest).name, set()).add(Path(src).name)
    newest = _core_dir(None)
    assert newest in folders
    assert folders[newest] == {"_definitions.json", *CORE_FILES.values()}
    assert len(folders) == len(utils.all_versions()) // 2  # every version, strict schemas only
    assert all(name.endswith("-local-strict") for name in folders)


def _spec_rules(packaging: Path) -> dict[str, object]:
    """The spec's trimming rules, without running PyInstaller."""
    text = (packaging / "mesh-workbench.spec").read_text(encoding="utf-8")
    rules = text.split("# -- the build ---", 1)[0]
    namespace: dict[str, object] = {"SPECPATH": str(packaging)}
    exec(compile(rules, "mesh-workbench.spec", "exec"), namespace)
    return namespace


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
        ("PySide6/Qt/plugins/iconengines/libqsvgicon.so", True),
        ("PySide6/Qt/plugins/imageformats/libqpdf.so", False),
        ("PySide6/Qt/plugins/qmltooling/libqmldbg_tcp.so", False),
        ("PySide6/plugins/platforms/qwindows.dll", True),
        ("PySide6\\plugins\\imageformats\\qtiff.dll", False),
        ("PySide6/Qt/plugins/platforms/libqcocoa.dylib", True),
        ("PySide6/Qt/translations/qtbase_de.qm", False),
        ("PySide6/Qt/lib/libQt6Widgets.so.6", True),
        ("PySide6/Qt/lib/libQt6Svg.so.6", True),
        ("PySide6/Qt/lib/libQt6Quick.so.6", False),
        ("PySide6/Qt6Network.dll", False),
        ("PySide6/Qt/lib/libicudata.so.73", True),
        ("numpy.libs/libscipy_openblas64_-32a4b2a6.so", True),
        ("numpy/_core/tests/data/umath-validation-set-log.csv", False),
        ("matplotlib/mpl-data/fonts/ttf/DejaVuSans.ttf", True),
        ("matplotlib/mpl-data/sample_data/goog.npz", False),
        ("kubernetes_validate/kubernetes-json-schema/v1.37.0-local-strict/_definitions.json", True),
    ],
)
def test_spec_trims_only_what_the_app_does_not_use(packaging: Path, dest: str, kept: bool) -> None:
    rules = _spec_rules(packaging)
    keep = rules["_kept"]
    assert callable(keep)
    assert keep(dest) is kept
