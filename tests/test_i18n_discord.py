"""A Discord room in Chinese, on SimCord: the bot's error replies follow the project's language, else the
user's client language (the cog replies move into the catalogs next; tests/test_cog_literals.py counts them)."""

import pytest
import simcord.interactions

from simcord_room import room_3

BROKEN = "Something went wrong on our side; it has been logged."


@pytest.fixture
def client_locale(monkeypatch):
    """SimCord sends every interaction as en-US; this sets the locale a user's Discord client sends."""
    locales: dict[int, str] = {}
    original = simcord.interactions.base_payload

    def with_locale(backend, **kwargs):
        record, payload = original(backend, **kwargs)
        payload["locale"] = locales.get(kwargs["user_id"], payload["locale"])
        return record, payload

    monkeypatch.setattr(simcord.interactions, "base_payload", with_locale)
    return locales


@pytest.fixture
async def broken_info(simcord_env, room, monkeypatch):
    """A room whose /settings fails inside: the one generic error reply."""
    await simcord_env.bot.tree.sync()
    guild, channel, boss, writer = room_3(simcord_env)
    await boss.slash(channel, "project create", name="jade")
    jade = room.list_projects(f"discord:{guild.id}")[0][0].id

    def boom(*_args):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(room.store, "count_entries", boom)
    return simcord_env, channel, writer, jade


async def _error_reply(env, channel, user) -> str:
    result = await user.slash(channel, "settings")
    env.errors.clear()
    return [m for m in [result.response, *result.followups] if m is not None][-1].content  # after any "thinking"


async def test_a_chinese_client_gets_errors_in_its_script_and_an_english_one_in_english(broken_info, client_locale):
    env, channel, writer, _ = broken_info
    assert await _error_reply(env, channel, writer) == BROKEN
    client_locale[writer.id] = "zh-CN"
    assert await _error_reply(env, channel, writer) == "我们这边出了问题，已记录。"
    client_locale[writer.id] = "zh-TW"
    assert await _error_reply(env, channel, writer) == "我們這邊出了問題，已記錄。"


async def test_the_projects_language_outranks_the_users(broken_info, client_locale, room):
    env, channel, writer, jade = broken_info
    client_locale[writer.id] = "zh-CN"
    room.update_project_settings(jade, language="en")
    assert await _error_reply(env, channel, writer) == BROKEN
    room.update_project_settings(jade, language="zh-TW")
    assert await _error_reply(env, channel, writer) == "我們這邊出了問題，已記錄。"
