"""Screening free text for contact details: phone numbers, email addresses, links and social handles,
including the ways people disguise them (spelled-out digits, "at" and "dot", lookalike letters).

The text is first reduced to a plain form: Unicode compatibility forms are folded (NFKC: fullwidth and
mathematical letters), letters that look like Latin ones (Cyrillic, Greek, Cherokee...) are mapped to
them from the Unicode confusables table, accents and invisible characters are dropped, and case is
folded. Each check then runs on that form. The checks aim to catch every disguise a child or an adult
is likely to type while leaving ordinary sentences about meetings, times, dates, pages and money alone.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from confusable_homoglyphs.confusables import confusables_data

# Normalising ------------------------------------------------------------------------------------

_KEEP = frozenset("@.:/+-_()[]{}<>")


@functools.cache
def _lookalikes() -> dict[int, str]:
    """Each non-ASCII character that the Unicode confusables table says looks like a single ASCII
    letter, digit or sign, mapped to that character (Cyrillic "ѕ" to "s", Greek "ο" to "o")."""
    table: dict[int, str] = {}
    for character, homoglyphs in confusables_data.items():
        if len(character) != 1 or character.isascii():
            continue
        plain = [
            glyph["c"]
            for glyph in homoglyphs
            if len(glyph["c"]) == 1 and glyph["c"].isascii() and (glyph["c"].isalnum() or glyph["c"] in _KEEP)
        ]
        if plain:
            # A letter before a digit: "О" is more often the letter O than a zero.
            plain.sort(key=lambda glyph: (not glyph.isalpha(), glyph))
            table[ord(character)] = plain[0]
    # The table reads a capital I as a small l; these look like an I and are read as one.
    for character in "\u0399\u0406\u04c0\u0131\u0456\u03b9\u2160":
        table[ord(character)] = "i"
    return table


def normalise(text: str) -> str:
    """The plain form the checks read: compatibility forms folded, lookalike letters made Latin,
    accents and invisible characters dropped, lower case."""
    text = unicodedata.normalize("NFKC", text or "")
    text = text.translate(_lookalikes())
    text = unicodedata.normalize("NFD", text)
    text = "".join(
        character
        for character in text
        if unicodedata.category(character) not in ("Mn", "Me", "Cf", "Cc") or character in "\n\t"
    )
    return text.casefold()


# Phone numbers ----------------------------------------------------------------------------------

_DIGIT_WORDS = {
    "zero": "0",
    "oh": "0",
    "o": "0",
    "nought": "0",
    "nil": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
}
_REPEAT_WORDS = {"double": 2, "triple": 3, "treble": 3}
# "seven hundred" is 700: the zeros a word adds to the digit before it.
_ZEROS_WORDS = {"hundred": "00", "thousand": "000"}
# A digit group ("07700", with a letter o standing for a zero inside it), a digit word, or a repeat.
_PHONE_TOKEN = re.compile(
    r"\+|(?<![a-z0-9])[0-9o]*[0-9][0-9o]*|\b(?:"
    + "|".join(sorted({*_DIGIT_WORDS, *_REPEAT_WORDS, *_ZEROS_WORDS}, key=len, reverse=True))
    + r")\b"
)
# What may stand between two parts of one number: spaces and light punctuation, at most three signs.
_PHONE_GAP = re.compile(r"[\s\-.()\[\]_,*~|]{0,3}")
# A UK number inside the digits read: 0 and ten digits (or nine for a few areas), or 44 instead of 0,
# or a mobile number written without its 0.
_UK_NUMBER = re.compile(r"(?:0|44)[1-9]\d{8,9}|(?<![0-9])7\d{9}(?![0-9])")
# Digits glued to digit words ("0seven7", "1two3") are read apart; a letter o stays with its digits.
_GLUED = re.compile(r"(?<=[0-9])(?=[a-np-z])|(?<=[a-z])(?=[0-9])")


def _digit_runs(text: str) -> list[tuple[bool, str, int]]:
    """Each run of digits and digit words that only spaces and light punctuation separate, as
    (written with a leading +, the digits, how many parts it was written in)."""
    runs: list[tuple[bool, str, int]] = []
    position, length = 0, len(text)
    while position < length:
        match = _PHONE_TOKEN.search(text, position)
        if match is None:
            break
        plus, parts, repeat = False, 0, 1
        digits: list[str] = []
        end = match.start()
        while match is not None and match.start() == end:
            part = match.group()
            if part == "+":
                if digits:
                    break
                plus = True
            elif part in _REPEAT_WORDS:
                repeat = _REPEAT_WORDS[part]
            elif part in _ZEROS_WORDS:
                if not digits:
                    break
                digits[-1] += _ZEROS_WORDS[part]
            else:
                value = _DIGIT_WORDS.get(part) or part.replace("o", "0")
                digits.append(value[0] * repeat + value[1:] if repeat > 1 else value)
                repeat, parts = 1, parts + 1
            end = match.end()
            gap = _PHONE_GAP.match(text, end)
            end = gap.end() if gap else end
            match = _PHONE_TOKEN.match(text, end)
        if digits:
            runs.append((plus, "".join(digits), parts))
        position = max(end, position + 1)
    return runs


def _has_phone_number(text: str) -> bool:
    return _has_phone_number_in(text) or _has_phone_number_in(_GLUED.sub(" ", text))


def _has_phone_number_in(text: str) -> bool:
    for plus, digits, parts in _digit_runs(text):
        if _UK_NUMBER.search(digits):
            return True
        if (plus or digits.startswith("00")) and 9 <= len(digits.lstrip("0")) <= 15:
            return True  # an international number
        if parts == 1 and 10 <= len(digits) <= 15:
            return True  # ten or more digits written together
    return False


# Email addresses --------------------------------------------------------------------------------

_OPEN, _CLOSE = r"[(\[{<]", r"[)\]}>]"
# "@" itself, "at" in any brackets, "at sign": all read as "@". The bare word "at" is weaker: see below.
_AT_DISGUISED = re.compile(rf"\s*(?:@|{_OPEN}\s*at\s*{_CLOSE}|\bat\s+(?:sign|symbol)\b)\s*")
# A dot in brackets, or a dot with spaces round it between two words: read as ".".
_DOT_DISGUISED = re.compile(rf"\s*{_OPEN}\s*(?:dot|\.)\s*{_CLOSE}\s*|(?<=[a-z0-9])\s*\.\s*(?=[a-z0-9])")
_NAME = r"(?<![a-z0-9_+\-.])[a-z0-9_+\-]+(?:\.[a-z0-9_+\-]+)*"
_MAIL_PROVIDERS = (
    "gmail|googlemail|hotmail|outlook|yahoo|icloud|live|aol|protonmail|proton|msn|btinternet|sky|"
    "virginmedia|talktalk|ymail|me|mail|gmx"
)
# After the bare word "at", only names that cannot be anything else ("look at me" is no address).
_MAIL_PROVIDERS_NAMED = "gmail|googlemail|hotmail|yahoo|icloud|protonmail|btinternet|ymail|virginmedia"
_EMAIL_ENDINGS = "com|co\\.uk|org\\.uk|ac\\.uk|sch\\.uk|co|uk|org|net|io|me|info|biz|xyz|dev|email"
_EMAIL_AT = re.compile(rf"{_NAME}@[a-z0-9\-]+(?:(?:\.|\s+(?:dot|point)\s+)[a-z0-9\-]+)+")
_EMAIL_PROVIDER = re.compile(rf"{_NAME}@(?:{_MAIL_PROVIDERS})\b|{_NAME}\s+at\s+(?:{_MAIL_PROVIDERS_NAMED})\b")
# With the bare word "at", the dot must be spelled out, or end in an address ending.
_EMAIL_WORD_AT = re.compile(
    rf"{_NAME}\s+at\s+[a-z0-9\-]+(?:\s+dot\s+[a-z]{{2,}}|\.(?:{_EMAIL_ENDINGS})\b(?!\.?[a-z0-9]))"
)


def _has_email(text: str) -> bool:
    text = _DOT_DISGUISED.sub(".", _AT_DISGUISED.sub("@", text))
    return bool(_EMAIL_AT.search(text) or _EMAIL_PROVIDER.search(text) or _EMAIL_WORD_AT.search(text))


# Links ------------------------------------------------------------------------------------------

_DOMAIN_ENDINGS = (
    "com|co\\.uk|org\\.uk|ac\\.uk|co|uk|org|net|io|me|ly|gg|app|info|biz|xyz|tv|dev|ai|cc|ws|link|"
    "site|online|live|page|club|fm|gl|sh|website|store|shop|blog|email|social|chat|vip|top"
)
_SCHEME = re.compile(r"\b(?:h[tx]{2}ps?|ftp)\s*[:;]\s*/\s*/|\bwww\s*\.", re.I)
_DOMAIN = re.compile(rf"\b[a-z0-9][a-z0-9\-]*\.(?:{_DOMAIN_ENDINGS})\b(?!\.[a-z])")
# Disguised dots: "[.]", "(dot)", " dot ", " . "; a disguised slash: " slash ".
_DISGUISED_DOT = re.compile(rf"\s*{_OPEN}\s*(?:dot|\.)\s*{_CLOSE}\s*|\s+dot\s+|\s+\.\s+|\s+\.(?=[a-z])")
_DISGUISED_SLASH = re.compile(r"\s+slash\s+|\s*/\s*")


# A comma for the dot of the commonest endings, written without a space: "example,com".
_COMMA_DOMAIN = re.compile(r"\b[a-z0-9][a-z0-9\-]*,(?:com|net|org|co,uk)\b")


def _has_link(text: str) -> bool:
    if _SCHEME.search(text) or _COMMA_DOMAIN.search(text):
        return True
    collapsed = _DISGUISED_SLASH.sub("/", _DISGUISED_DOT.sub(".", text))
    return bool(_DOMAIN.search(collapsed))


# Social media -----------------------------------------------------------------------------------

# Names that mean a way of being contacted whenever they are written.
_APPS = (
    r"snap\s*chat|insta\s*gram|insta|wh?at+[\'\u2019]?s+\s*ap+|tik\s*tok|discord|telegram|"
    r"facebook|face\s*book|messenger|twitter|kik|wechat|viber|skype|bereal|imessage|face\s*time|"
    r"wickr|omegle|yubo|tumblr|roblox|xbox\s*live|psn|playstation\s*network|twitch|threema|"
    r"session\s*app|line\s*app|onlyfans|grindr|tinder|bumble|hinge|reddit|mastodon|bluesky"
)
# Short forms that mean an app when someone offers them as a way to reach them ("my sc is", "WA me").
_SHORT = r"sc|ig|snap|insta|wa|whats|tt|fb|tg|dc|twitter|tiktok|kik|discord|xbox|psn|roblox|twitch"
# Ordinary words that are also apps: only "add me on X" and the like.
_WORDS = r"x|signal|steam|line|threads"
_HANDLE = r"@?[a-z0-9_.]*[a-z][a-z0-9_.]{2,}"
_CONTACT_PHRASES = re.compile(
    rf"\bmy\s+(?:{_SHORT})(?:\s+(?:name|handle|username|user|id|tag|account|acc|@))?\s*(?:is|=|:|-|'s)"
    rf"|\b(?:add|follow|find|message|msg|dm|pm|text|call|hmu|hit\s+me\s+up|talk\s+to\s+me|chat)"
    rf"(?:\s+me)?\s+(?:on|at|via|over)\s+(?:{_SHORT})\b"
    rf"|\b(?:add|follow|find|message|msg|dm|pm|text|call|hmu|talk\s+to|chat\s+to)\s+me\s+(?:on|via|over)\s+"
    rf"(?:{_WORDS})\b"
    rf"|\b(?:{_SHORT})\s+me\b"
    rf"|\b(?:{_SHORT})\s*[:=]\s*{_HANDLE}"
    rf"|\b(?:on|via)\s+(?:{_SHORT})\s*[:@]"
)
_APP_NAMES = re.compile(rf"\b(?:{_APPS})\b")
_AT_HANDLE = re.compile(r"(?<![\w.])@\s?[a-z0-9_.]{2,}")


# Short forms written with dots ("W.A. me") are read without them.
_DOTTED_SHORT = re.compile(r"\b([a-z])\.\s?([a-z])\.?(?=\s|$)")


def _has_social(text: str) -> bool:
    undotted = _DOTTED_SHORT.sub(r"\1\2", text)
    return bool(
        _AT_HANDLE.search(text)
        or _APP_NAMES.search(text)
        or _CONTACT_PHRASES.search(text)
        or _CONTACT_PHRASES.search(undotted)
    )


# Spelled-out letters ----------------------------------------------------------------------------

# "s n a p c h a t", "p.r.i.y.a": single letters or digits, each followed by one separator.
_SPACED_OUT = re.compile(r"(?<![a-z0-9])(?:[a-z0-9@][\s.\-_*]){3,}[a-z0-9@](?![a-z0-9])")


def _spaced_out_joined(text: str) -> str:
    return _SPACED_OUT.sub(lambda match: re.sub(r"[\s.\-_*]", "", match.group()), text)


# The screen -------------------------------------------------------------------------------------

CHECKS = (
    (_has_email, "an email address"),
    (_has_phone_number, "a phone number"),
    (_has_link, "a link"),
    (_has_social, "a social media handle or app"),
)


def contact_details_found(text: str) -> list[str]:
    """What kinds of contact detail the text seems to contain, in words ("a phone number")."""
    plain = normalise(text)
    joined = _spaced_out_joined(plain)
    return [label for check, label in CHECKS if check(plain) or (joined != plain and check(joined))]
