"""Build the Chinese font subsets shipped in countyhub/platform/reports/fonts/.

The province report's PDF needs a Simplified Chinese font on any machine the
README's two commands set up, so the package carries one: Noto Sans SC (SIL Open
Font Licence 1.1), cut down to the characters a county report can contain:

- the 6,763 hanzi and the symbol rows (punctuation, full-width forms, Greek,
  box drawing …) of GB 2312;
- printable ASCII and Latin-1, general punctuation, CJK symbols and
  punctuation, full-width and half-width forms, a few arrows and maths signs;
- every non-ASCII character found in the package's own text files
  (``countyhub/**/*.py|csv|json|md``): the default county's village names hold
  characters outside GB 2312 (塅), and the report's labels hold units (次/周).

Outlines are kept as TrueType (``glyf``), hinting and OpenType layout tables
are dropped (the report needs no shaping), and the timestamps are left as the
source has them, so running the script again gives identical files.

Dev-time tool (needs fontTools, a dependency of fpdf2).  The
source is the npm package ``@expo-google-fonts/noto-sans-sc`` (Google Fonts'
static instances of Noto Sans SC 2.004); fetch it outside the repository:

    cd /tmp && npm pack @expo-google-fonts/noto-sans-sc@0.4.3
    tar xzf expo-google-fonts-noto-sans-sc-0.4.3.tgz
    python scripts/subset_font.py /tmp/package

Usage: ``python scripts/subset_font.py PACKAGE_DIR [--out DIR]`` from the
repository root; DIR defaults to ``countyhub/platform/reports/fonts``.
"""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "countyhub" / "platform" / "reports" / "fonts"
WEIGHTS = {
    "400Regular/NotoSansSC_400Regular.ttf": "NotoSansSC-Regular-subset.ttf",
    "700Bold/NotoSansSC_700Bold.ttf": "NotoSansSC-Bold-subset.ttf",
}
RANGES = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1
    (0x2010, 0x2044),  # dashes, quotes, bullets, ellipsis, ‰, fraction slash
    (0x2190, 0x2193),  # arrows
    (0x2212, 0x2212),  # minus sign
    (0x2264, 0x2265),  # ≤ ≥
    (0x25A0, 0x25CF),  # squares and circles (□ marks a character not in the font)
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0xFF01, 0xFF5E),  # full-width forms
]


def gb2312() -> set[str]:
    """Every character GB 2312 encodes (symbol rows 1-9, hanzi rows 16-87)."""
    found = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                found.add(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return found


def package_text() -> set[str]:
    """The non-ASCII characters of the package's own text files."""
    found: set[str] = set()
    for path in sorted((ROOT / "countyhub").rglob("*")):
        if path.suffix in {".py", ".csv", ".json", ".md"} and path.is_file():
            found |= {c for c in path.read_text("utf-8") if ord(c) > 0x7F}
    return found


def wanted() -> list[int]:
    chars = gb2312() | package_text()
    points = {ord(c) for c in chars if c.isprintable() or c == "\u3000"}
    for first, last in RANGES:
        points.update(range(first, last + 1))
    return sorted(points)


def cut(source: Path, target: Path, codepoints: list[int]) -> None:
    options = subset.Options()
    options.layout_features = []  # no shaping: one glyph a character
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "STAT", "vhea", "vmtx"]
    options.hinting = False
    options.name_IDs = ["*"]  # keep the copyright and licence records
    options.name_languages = ["*"]
    options.notdef_outline = True
    font = TTFont(source, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    font.save(target, reorderTables=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", type=Path, help="the unpacked npm package")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    codepoints = wanted()
    print(f"{len(codepoints)} characters")
    for name, target in WEIGHTS.items():
        source = args.package / name
        cut(source, args.out / target, codepoints)
        digest = hashlib.sha256((args.out / target).read_bytes()).hexdigest()
        size = (args.out / target).stat().st_size
        print(f"{target}: {size:,} bytes, sha256 {digest}")


if __name__ == "__main__":
    main()
