"""Copy the front-end packages' compiled files from node_modules into static (no bundler).

The service runs for a council, not on GOV.UK, so GOV.UK's own typeface (GDS Transport)
must not be used: the stylesheet is copied with Arial in its place, as the GOV.UK
Design System advises for services outside GOV.UK.
"""

import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODULES = ROOT / "node_modules"
WEB = ROOT / "src" / "earlyhelp" / "web"
VENDOR = WEB / "static" / "vendor"
PUBLIC_ASSETS = WEB / "public" / "assets"


SOURCE_MAP = re.compile(r"\n?(/\*# sourceMappingURL=[^*]*\*/|//# sourceMappingURL=\S+)\s*$")


def without_source_map(path: Path) -> None:
    """The .map files are not copied, so references to them go (collectstatic checks them)."""
    path.write_text(SOURCE_MAP.sub("", path.read_text()))


def copy(source: Path, target: Path) -> None:
    if not source.exists():
        sys.exit(f"Missing {source.relative_to(ROOT)}: run 'npm ci' first.")
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        shutil.copytree(source, target, dirs_exist_ok=True)
    else:
        shutil.copy2(source, target)


def without_gds_transport(css: str) -> str:
    css = re.sub(r"@font-face\{[^}]*GDS Transport[^}]*\}", "", css)
    return css.replace("GDS Transport,arial,sans-serif", "arial,sans-serif").replace(
        "font-family:GDS Transport", "font-family:arial,sans-serif"
    )


def main() -> None:
    govuk = MODULES / "govuk-frontend" / "dist" / "govuk"
    moj = MODULES / "@ministryofjustice" / "frontend" / "moj"
    copy(govuk / "govuk-frontend.min.js", VENDOR / "govuk-frontend" / "govuk-frontend.min.js")
    css = without_gds_transport((govuk / "govuk-frontend.min.css").read_text())
    (VENDOR / "govuk-frontend" / "govuk-frontend.min.css").write_text(css)
    copy(govuk / "assets" / "images", PUBLIC_ASSETS / "images")
    copy(govuk / "assets" / "manifest.json", PUBLIC_ASSETS / "manifest.json")
    # Browsers ask for /favicon.ico whatever the page says (a PDF, a JSON answer): WhiteNoise
    # answers it before the session and the database are reached.
    copy(govuk / "assets" / "images" / "favicon.ico", WEB / "public" / "favicon.ico")
    copy(moj / "moj-frontend.min.css", VENDOR / "moj-frontend" / "moj-frontend.min.css")
    copy(moj / "moj-frontend.min.js", VENDOR / "moj-frontend" / "moj-frontend.min.js")
    copy(moj / "assets" / "images", PUBLIC_ASSETS / "images")
    autocomplete = MODULES / "accessible-autocomplete" / "dist"
    copy(autocomplete / "accessible-autocomplete.min.js", VENDOR / "accessible-autocomplete" / "accessible-autocomplete.min.js")
    copy(autocomplete / "accessible-autocomplete.min.css", VENDOR / "accessible-autocomplete" / "accessible-autocomplete.min.css")
    copy(MODULES / "chart.js" / "dist" / "chart.umd.min.js", VENDOR / "chart.js" / "chart.umd.min.js")
    for path in VENDOR.rglob("*"):
        if path.is_file() and path.suffix in {".js", ".css", ".mjs"}:
            without_source_map(path)
    print(f"Copied front-end assets into {VENDOR.relative_to(ROOT)} and {PUBLIC_ASSETS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
