"""Builders of test inputs: real PDFs made with PyMuPDF, images made with OpenCV,
matplotlib and Pillow. Nothing binary lives in git; every fixture is made here."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import cv2
import numpy as np
import pymupdf
from PIL import Image

from pdf2video.core import sample_art
from pdf2video.core.jobs import JobRequest

LOREM = (
    "Solar cells turn light into electricity. Each cell is a thin slice of silicon that "
    "frees electrons when photons strike it. Wires collect the electrons as a current. "
)


def matplotlib_chart_png(kind: str = "line") -> bytes:
    import matplotlib  # noqa: PLC0415

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    fig, ax = plt.subplots(figsize=(6, 4), dpi=100)
    xs = np.arange(12)
    if kind == "bar":
        ax.bar(xs, np.abs(np.sin(xs)) * 10 + 2, color="tab:orange")
    else:
        ax.plot(xs, np.sin(xs / 2) * 5 + 6, marker="o", color="tab:blue", linewidth=2)
        ax.plot(xs, np.cos(xs / 3) * 4 + 6, color="tab:green", linewidth=2)
    ax.set_title("Output per month")
    ax.set_xlabel("month")
    ax.set_ylabel("kWh")
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def png(image: np.ndarray) -> bytes:
    return sample_art.png_bytes(image)


def jpeg(image: np.ndarray) -> bytes:
    return sample_art.jpeg_bytes(image)


def rgba_png() -> bytes:
    """A logo-like picture with a real alpha channel (becomes an SMask in the PDF)."""
    img = np.zeros((200, 300, 4), np.uint8)
    cv2.circle(img, (150, 100), 80, (30, 120, 220, 255), -1, cv2.LINE_AA)
    cv2.rectangle(img, (40, 150), (260, 190), (200, 60, 40, 255), -1)
    return png(img)


def cmyk_jpeg() -> bytes:
    rgb = cv2.cvtColor(sample_art.photo(seed=11), cv2.COLOR_BGR2RGB)
    out = io.BytesIO()
    Image.fromarray(rgb).convert("CMYK").save(out, format="JPEG", quality=85)
    return out.getvalue()


def jpx() -> bytes:
    rgb = cv2.cvtColor(sample_art.photo(seed=12), cv2.COLOR_BGR2RGB)
    out = io.BytesIO()
    Image.fromarray(rgb).save(out, format="JPEG2000")
    return out.getvalue()


def new_doc() -> pymupdf.Document:
    return pymupdf.open()


def save(doc: pymupdf.Document, path: Path, **options: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path, **options)
    doc.close()
    return path


def add_furniture(page: pymupdf.Page, number: int, total: int) -> None:
    page.insert_text((60, 30), "ACME Quarterly Review · Confidential", fontsize=8)
    page.insert_text((60, page.rect.height - 20), "© 2026 ACME Corp.", fontsize=8)
    page.insert_text(
        (page.rect.width / 2 - 20, page.rect.height - 36), f"Page {number} of {total}", fontsize=8
    )


def two_column_pdf(path: Path, pages: int = 3) -> Path:
    """Title, a level-2 heading, two columns of paragraphs, running header/footer, page numbers."""
    doc = new_doc()
    for n in range(1, pages + 1):
        page = doc.new_page(width=612, height=792)
        add_furniture(page, n, pages)
        page.insert_textbox(
            pymupdf.Rect(60, 60, 552, 100),
            f"Chapter {n}: The Big Picture",
            fontsize=22,
            fontname="hebo",
        )
        page.insert_textbox(
            pymupdf.Rect(60, 110, 552, 140), "Why the sun matters", fontsize=15, fontname="hebo"
        )
        for col, x0 in enumerate((60, 320)):
            y = 150
            for para in range(3):
                label = f"{'LEFT' if col == 0 else 'RIGHT'}{n}-{para}"
                text = f"{label} {LOREM}"
                page.insert_textbox(pymupdf.Rect(x0, y, x0 + 232, y + 110), text, fontsize=10)
                y += 130
    doc.set_metadata({"title": "ACME Quarterly Review", "author": "Jane Analyst"})
    doc.set_toc([[1, f"Chapter {n}: The Big Picture", n] for n in range(1, pages + 1)])
    return save(doc, path)


def images_pdf(path: Path) -> Path:
    """A photo on pages 1 and 3 (the same image twice), a chart, a table, a repeated small
    logo, a hairline rule, an RGBA image, a CMYK JPEG and a JPX image."""
    doc = new_doc()
    photo = jpeg(sample_art.photo(seed=21))
    logo = png(sample_art.logo(size=120, seed=22))
    hairline = png(sample_art.rule(width=500, height=2))
    pictures = [
        ("photo", photo),
        ("chart", matplotlib_chart_png("line")),
        ("photo again", photo),
        ("table", png(sample_art.table(seed=23))),
        ("rgba", rgba_png()),
        ("cmyk", cmyk_jpeg()),
        ("jpx", jpx()),
    ]
    for n, (caption, data) in enumerate(pictures, start=1):
        page = doc.new_page(width=612, height=792)
        page.insert_image(pymupdf.Rect(500, 20, 540, 60), stream=logo)
        page.insert_text((60, 90), f"Figure {n}: {caption}", fontsize=12)
        page.insert_image(pymupdf.Rect(60, 110, 552, 430), stream=data)
        page.insert_image(pymupdf.Rect(60, 450, 552, 452), stream=hairline)
        page.insert_text((60, 480), LOREM, fontsize=10)
    return save(doc, path)


def scanned_pdf(path: Path, pages: int = 2) -> Path:
    """Pages that are only a picture of text: no text layer at all."""
    doc = new_doc()
    for n in range(pages):
        page = doc.new_page(width=612, height=792)
        page.insert_image(page.rect, stream=jpeg(sample_art.scanned_page(seed=30 + n)))
    return save(doc, path)


def encrypted_pdf(path: Path, password: str = "s3cret") -> Path:
    doc = new_doc()
    page = doc.new_page()
    page.insert_text((72, 72), "Top secret plans", fontsize=20)
    return save(
        doc,
        path,
        encryption=pymupdf.PDF_ENCRYPT_AES_256,
        user_pw=password,
        owner_pw=password + "-owner",
    )


def zero_page_pdf(path: Path) -> Path:
    """A well-formed PDF whose page tree is empty (PyMuPDF refuses to save one)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(bytes(out))
    return path


def wide_page_pdf(path: Path) -> Path:
    """One page 200 inches wide (the PDF maximum is 200 inches)."""
    doc = new_doc()
    page = doc.new_page(width=14400, height=792)
    page.insert_text((72, 400), "A very wide banner page", fontsize=40)
    page.insert_image(pymupdf.Rect(7000, 100, 7400, 400), stream=jpeg(sample_art.photo(seed=40)))
    return save(doc, path)


def many_pages_pdf(path: Path, pages: int) -> Path:
    """A long document: text on every page, a fresh picture every fifth page."""
    doc = new_doc()
    for n in range(1, pages + 1):
        page = doc.new_page(width=612, height=792)
        add_furniture(page, n, pages)
        page.insert_textbox(
            pymupdf.Rect(60, 60, 552, 100), f"Section {n}", fontsize=18, fontname="hebo"
        )
        page.insert_textbox(pymupdf.Rect(60, 110, 552, 400), LOREM * 4, fontsize=10)
        if n % 5 == 0:
            page.insert_image(
                pymupdf.Rect(60, 420, 552, 700),
                stream=jpeg(sample_art.photo(width=480, height=300, seed=n)),
            )
    return save(doc, path)


_SUBJECTS = (
    "The inverter",
    "Each panel",
    "The battery",
    "A smart meter",
    "The roof",
    "The grid",
    "Our survey",
    "The installer",
    "Winter sunlight",
    "The cable run",
)
_VERBS = (
    "stores",
    "converts",
    "measures",
    "limits",
    "doubles",
    "reports",
    "shades",
    "carries",
    "balances",
    "reduces",
)
_OBJECTS = (
    "the midday surplus",
    "direct current",
    "evening demand",
    "the export tariff",
    "cell temperature",
    "the payback period",
    "peak output",
    "household use",
    "the yearly yield",
    "line losses",
)


def varied_sentence(n: int) -> str:
    return (
        f"{_SUBJECTS[n % 10]} {_VERBS[(n // 10) % 10]} {_OBJECTS[(n // 100) % 10]} "
        f"in case number {n} of the study."
    )


def varied_text_pdf(
    path: Path, sections: int, sentences_per_section: int = 12, *, first: int = 0
) -> Path:
    """Sections of distinct sentences (no two alike), one heading and page per section."""
    doc = new_doc()
    counter = first
    for n in range(1, sections + 1):
        page = doc.new_page(width=612, height=792)
        page.insert_textbox(
            pymupdf.Rect(60, 60, 552, 100), f"Topic {n}", fontsize=18, fontname="hebo"
        )
        text = " ".join(varied_sentence(counter + i) for i in range(sentences_per_section))
        counter += sentences_per_section
        page.insert_textbox(pymupdf.Rect(60, 110, 552, 760), text, fontsize=10)
    return save(doc, path)


def batch_folder(folder: Path) -> Path:
    """Three small PDFs, one of them corrupt: what the batch tests render."""
    folder.mkdir(parents=True, exist_ok=True)
    varied_text_pdf(folder / "alpha.pdf", sections=1, sentences_per_section=2, first=0)
    varied_text_pdf(folder / "beta.pdf", sections=1, sentences_per_section=2, first=40)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<\n/Type /Catalog truncated")
    return folder


def zip_with(path: Path, entries: dict[str, bytes], links: dict[str, str] | None = None) -> Path:
    """A ZIP holding ``entries`` as written (any name, ``../`` too) and symbolic links."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        for name, target in (links or {}).items():
            info = zipfile.ZipInfo(name)
            info.create_system = 3  # Unix, so the mode below is read
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, target)
    return path


def story(sections: int = 2, sentences: int = 2) -> str:
    """A short Markdown story: a title and ``sections`` sections of plain sentences."""
    parts = ["# Sun power at home", ""]
    for n in range(sections):
        parts += [f"## Part {n + 1}", ""]
        parts += [varied_sentence(n * sentences + k) for k in range(sentences)]
        parts.append("")
    return "\n".join(parts)


def tiny_job(**overrides: object) -> JobRequest:
    """The smallest job that renders for real: a short text, 320x180 at 24 fps, draft."""
    fields: dict[str, object] = {
        "source_type": "text_images",
        "title": "Tiny",
        "text_content": story(),
        "resolution": "320x180",
        "fps": 24,
        "draft": True,
        "captions": "off",
    }
    return JobRequest(**(fields | overrides))
