"""Which language a reply speaks: the project's language setting when the room set one, else the
Discord user's client language, else the server's, else English. Codes come as the room types them
(zh, zh-CN, zh-Hant, en) or as Discord sends them (zh-CN, zh-TW, en-US)."""

from __future__ import annotations

# Chinese without a script: the regions that write Traditional characters; everywhere else Simplified.
_TRADITIONAL_REGIONS = {"TW", "HK", "MO"}
# what a room types instead of a code (a project's language, the CLI's --lang)
LANGUAGE_WORDS = {"中文": "zh", "简体中文": "zh-CN", "简体": "zh-CN", "简中": "zh-CN", "繁體中文": "zh-TW",
                  "繁体中文": "zh-TW", "繁體": "zh-TW", "繁体": "zh-TW", "chinese": "zh", "英文": "en", "英语": "en",
                  "english": "en"}


def catalog_locale(code: str | None) -> str | None:
    """The catalog (en, zh_Hans, zh_Hant) for a language code; None for no code, a bad code or a language
    without a catalog, so the next choice applies."""
    if not code or not str(code).strip():
        return None
    code = LANGUAGE_WORDS.get(str(code).strip().casefold(), code)
    from babel import Locale, UnknownLocaleError  # here: a CLI run in English loads no Babel

    try:
        # POSIX LANG values carry an encoding and a modifier: zh_CN.UTF-8@pinyin
        locale = Locale.parse(str(code).strip().split(".")[0].split("@")[0].replace("-", "_"))
    except (ValueError, TypeError, UnknownLocaleError):
        return None
    if locale.language == "en":
        return "en"
    if locale.language == "zh":
        traditional = locale.script == "Hant" or (locale.script is None and locale.territory in _TRADITIONAL_REGIONS)
        return "zh_Hant" if traditional else "zh_Hans"
    return None


def reply_locale(project_language: str | None = None, user_locale: str | None = None,
                 guild_locale: str | None = None) -> str:
    """The first of the project's, the user's and the server's languages that has a catalog; else English."""
    for code in (project_language, user_locale, guild_locale):
        found = catalog_locale(code)
        if found:
            return found
    return "en"
