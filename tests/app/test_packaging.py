"""The installer, menu entry and bundle agree with the app on names, paths and version."""

from __future__ import annotations

import configparser
import re
import tomllib
from pathlib import Path

import pytest

from moments_desk import APP_ID, __version__
from moments_desk.resources import icon_path, resources_dir, translations_dir

ROOT = Path(__file__).resolve().parents[2]
ISS = ROOT / "packaging" / "windows" / "moments-desk.iss"
DESKTOP = ROOT / "packaging" / "linux" / "moments-desk.desktop"


def _executable_name() -> str:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (name,) = pyproject["project"]["gui-scripts"]
    return str(name)


def test_frozen_app_reads_resources_from_the_bundle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys._MEIPASS", str(tmp_path), raising=False)
    assert resources_dir() == tmp_path / "resources"
    assert translations_dir() == tmp_path / "resources" / "translations"
    assert icon_path() == tmp_path / "resources" / "icons" / "app.png"


def test_source_tree_resources_exist() -> None:
    assert icon_path().is_file()
    assert (resources_dir() / "icons" / "app.ico").is_file()
    assert (resources_dir() / "icons" / "app.icns").is_file()
    assert (translations_dir() / "moments_desk_zh_CN.qm").is_file()


def test_windows_installer_script_matches_the_bundle() -> None:
    text = ISS.read_text(encoding="utf-8-sig")
    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    bundle = re.search(r'NAME = "moments-desk-portable" if options.onefile else "([\w-]+)"', spec)
    assert bundle is not None
    assert f'#define AppExe "{bundle.group(1)}.exe"' in text
    assert f'"..\\..\\dist\\{bundle.group(1)}"' in text
    # Per-user install into %LOCALAPPDATA%\Programs, no administrator prompt.
    assert "PrivilegesRequired=lowest" in text
    assert "DefaultDirName={userpf}\\" in text
    # The data folder the uninstaller keeps (and names) is the app's own default.
    assert f"{{localappdata}}\\{APP_ID}" in text
    assert not re.search(r"^\[UninstallDelete\]", text, re.M)  # data is never deleted
    icon = re.search(r"^SetupIconFile=(.+)$", text, re.M)
    assert icon is not None
    assert (ISS.parent / icon.group(1).replace("\\", "/")).resolve().is_file()


def test_linux_menu_entry_starts_the_installed_app() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment, method-assign]
    entry.read(DESKTOP, encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Exec"] == _executable_name()
    assert desktop["Icon"] == "moments-desk"
    assert desktop["Name[zh_CN]"] == "朋友圈卖货台"
    install = (ROOT / "packaging" / "linux" / "install.sh").read_text(encoding="utf-8")
    assert "moments-desk.png" in install and "^Exec=moments-desk" in install
    assert f"/{APP_ID}" in install  # the data folder it promises to keep


def test_version_is_one_number_everywhere() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["version"] == __version__
