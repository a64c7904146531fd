"""Reading a content file: front matter and body, and errors that name the file and the problem."""

import pytest

from core.content_files import ContentFileError, checked, read_content_file


def write(tmp_path, text, name="01-page.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_front_matter_and_body_are_read_with_windows_line_endings_too(tmp_path):
    path = write(tmp_path, "---\r\ntitle: 'Goals: why they matter'\r\nminutes: 5\r\n---\r\n\r\nSet two.\r\n")
    file = read_content_file(path, required={"title"}, optional={"minutes"})
    assert file.meta == {"title": "Goals: why they matter", "minutes": 5}
    assert file.body == "Set two."


def test_a_horizontal_rule_in_the_body_is_body_text(tmp_path):
    path = write(tmp_path, "---\ntitle: Page\n---\nAbove\n\n---\n\nBelow\n")
    assert read_content_file(path, required={"title"}).body == "Above\n\n---\n\nBelow"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("title: Page\n", "the file must start with a front matter"),
        ("---\ntitle: Page\nBody without a closing line\n", "the file must start with a front matter"),
        ("---\ntitle: a: b\n---\nBody\n", "the front matter is not valid YAML at line 2: mapping values"),
        ("---\n- title\n---\nBody\n", "the front matter must be a list of 'key: value' settings"),
        ("---\nminutes: 5\n---\nBody\n", "the front matter lacks 'title'"),
        ("---\ntitle: Page\ntitel: Page\n---\nBody\n", "unknown 'titel' (allowed: 'minutes', 'title')"),
    ],
)
def test_a_bad_file_is_refused_with_its_path_and_what_is_wrong(tmp_path, text, problem):
    path = write(tmp_path, text)
    with pytest.raises(ContentFileError) as raised:
        read_content_file(path, required={"title"}, optional={"minutes"})
    assert str(raised.value).startswith(f"{path}: ")
    assert problem in str(raised.value)


def test_a_yaml_yes_is_not_taken_for_text(tmp_path):
    path = write(tmp_path, "---\ntitle: yes\n---\nBody\n")
    file = read_content_file(path, required={"title"})
    with pytest.raises(ContentFileError, match="'title' must be text, not True"):
        checked(path, file.meta["title"], str, "'title'")
    assert checked(path, 5, int, "'minutes'") == 5
    with pytest.raises(ContentFileError, match="must be a whole number, not True"):
        checked(path, True, int, "'minutes'")
