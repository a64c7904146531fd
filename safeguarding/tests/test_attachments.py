"""Attachments are checked for what they are: pictures drawn again by Pillow (so nothing rides along),
PDFs with anything active in them refused, names reduced to a safe basename."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from core.errors import ApplicationError
from core.uploads import safe_basename
from safeguarding import services
from safeguarding.models import Message, MessageAttachment

HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def _png(**info) -> bytes:
    output = BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(output, format="PNG", **info)
    return output.getvalue()


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (8, 8), (10, 120, 10))
    exif = Image.Exif()
    exif[0x8825] = {2: (51.0, 30.0, 0.0), 4: (0.0, 7.0, 0.0)}  # GPS position
    output = BytesIO()
    image.save(output, format="JPEG", exif=exif)
    return output.getvalue()


def _pdf(*, javascript=False, launch=False, embedded=False, hide_names=False) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if javascript:
        action = DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
        )
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    if launch:
        action = DictionaryObject(
            {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd.exe")}
        )
        writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): writer._add_object(action)})
    if embedded:
        writer.add_attachment("notes.txt", b"hidden")
    output = BytesIO()
    writer.write(output)
    data = output.getvalue()
    if hide_names:
        for name, escaped in (
            (b"/JavaScript", b"/J#61vaScript"),
            (b"/OpenAction", b"/Op#65nAction"),
            (b"/JS", b"/J#53"),
        ):
            data = data.replace(name, escaped)
    return data


def _send(world, name, content, relationship=None):
    return services.message_send(
        relationship=relationship or world.relationship_over_18,
        sender=world.mentor,
        body="Here it is",
        attachment=SimpleUploadedFile(name, content),
    )


def test_a_png_with_html_after_it_is_stored_as_the_picture_only(world):
    polyglot = _png() + HTML
    message = _send(world, "photo.png", polyglot)
    stored = message.attachment.file.open("rb").read()
    assert stored.startswith(b"\x89PNG\r\n\x1a\n")
    assert b"<html" not in stored and b"script" not in stored
    assert Image.open(BytesIO(stored)).size == (8, 8)
    assert message.attachment.size == len(stored)


def test_html_hidden_in_a_png_text_chunk_is_dropped(world):
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", HTML.decode())
    message = _send(world, "photo.png", _png(pnginfo=info))
    assert b"script" not in message.attachment.file.open("rb").read()


def test_a_photos_gps_position_is_not_passed_on(world):
    message = _send(world, "holiday.jpg", _jpeg_with_gps())
    stored = Image.open(BytesIO(message.attachment.file.open("rb").read()))
    assert stored.format == "JPEG"
    assert 0x8825 not in stored.getexif()


def test_a_plain_pdf_is_accepted_as_sent(world):
    content = _pdf()
    message = _send(world, "plan.pdf", content)
    assert message.attachment.file.open("rb").read() == content


@pytest.mark.parametrize(
    "options",
    [
        {"javascript": True},
        {"launch": True},
        {"embedded": True},
        {"javascript": True, "hide_names": True},
    ],
    ids=["javascript-open-action", "launch-action", "embedded-file", "escaped-names"],
)
def test_a_pdf_that_can_act_by_itself_is_refused_and_nothing_is_saved(world, options):
    with pytest.raises(ApplicationError) as error:
        _send(world, "plan.pdf", _pdf(**options))
    assert error.value.field == "attachment"
    assert not Message.objects.exists() and not MessageAttachment.objects.exists()


@pytest.mark.parametrize(
    "content",
    [b"%PDF-1.4 not really a pdf", b"%PDF-1.7\n" + HTML],
    ids=["unreadable", "html-behind-a-pdf-header"],
)
def test_a_pdf_that_cannot_be_read_is_refused(world, content):
    with pytest.raises(ApplicationError):
        _send(world, "plan.pdf", content)


def test_a_png_that_is_not_a_picture_is_refused(world):
    with pytest.raises(ApplicationError):
        _send(world, "photo.png", b"\x89PNG\r\n\x1a\n" + HTML)


def test_names_are_reduced_to_a_safe_basename(world):
    message = _send(world, "../../etc/<img src=x onerror=alert(1)>.png", _png())
    name = message.attachment.original_name
    assert "/" not in name and "<" not in name and ".." not in name
    assert name.endswith(".png")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("plan.pdf", "plan.pdf"),
        ("C:\\\\Users\\\\mo\\\\My plan.PDF", "My plan.pdf"),
        ("../../passwd", "passwd"),
        (".htaccess", "htaccess"),
        ("ｐｌａｎ.pdf", "plan.pdf"),
        ("<script>.png", "_script_.png"),
        ("", "file"),
    ],
)
def test_safe_basename(given, expected):
    assert safe_basename(given) == expected
