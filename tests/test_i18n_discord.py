"""A Discord room in Chinese, on SimCord: every reply (messages, embeds, buttons, errors) follows the project's
language, else the user's client language; counts take the language's plural forms."""

import pytest
import simcord.interactions

from simcord_room import private_reply, room_3

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


# -- every reply, not only errors ------------------------------------------------------------------------------

def _said(result) -> list[str]:
    """The texts a user sees: message contents, embed titles, descriptions, field names and values, footers."""
    out = []
    for m in [result.response, *result.followups]:
        if m is None:
            continue
        out.append(m.content or "")
        for e in m.embeds:
            out += [e.title or "", e.description or "", e.footer.text or "",
                    *(f.name for f in e.fields), *(f.value for f in e.fields)]
    return out


async def test_a_chinese_client_sees_replies_and_errors_in_chinese(jade_world, client_locale):
    env, guild, channel, boss, writer = jade_world
    client_locale[writer.id] = client_locale[boss.id] = "zh-CN"
    card = _said(await writer.slash(channel, "settings"))
    assert "付费集" in card and "编辑" in card and any(t.endswith(" 条设定") for t in card)
    shown = _said(await writer.slash(channel, "canon show", name="Lin Wan"))
    assert "Lin Wan · 角色" in shown and "别名" in shown and any(t.startswith("id lin-wan · 版本 ") for t in shown)
    helped = await writer.slash(channel, "help")
    assert private_reply(helped).content.startswith("**Cliffhanger** 为编剧室保管项目设定") and "`/提问 问题" in \
        private_reply(helped).content
    refused = await writer.slash(channel, "settings", paywall_episode=3)
    assert private_reply(refused).content == "只有编辑可以修改项目设置。"
    proposed = await writer.slash(channel, "canon add", kind="location", name="Rooftop", text="Where Gu Chen thinks.")
    assert proposed.response.content.startswith("**提议 #") and "Rooftop" in proposed.response.content
    assert [c["label"] for row in proposed.response.components for c in row["components"]] == ["批准", "驳回"]
    missing = await writer.slash(channel, "canon show", name="Lin Wam")  # a domain error with its values
    assert private_reply(missing).content.startswith("jade 中没有名为“Lin Wam”的条目")
    unbound = guild.create_text_channel("elsewhere")
    lost = await writer.slash(unbound, "ask", question="谁偷了玉玺？")
    assert private_reply(lost).content.startswith("本频道还没有项目")
    client_locale[writer.id] = "zh-TW"
    assert private_reply(await writer.slash(channel, "settings", paywall_episode=3)).content == "只有編輯可以修改專案設定。"
    env.errors.clear()


async def test_a_project_set_to_english_answers_a_chinese_client_in_english(jade_world, client_locale, room):
    env, guild, channel, boss, writer = jade_world
    client_locale[writer.id] = "zh-CN"
    room.update_project_settings(room.project("jade", f"discord:{guild.id}").id, language="en")
    card = _said(await writer.slash(channel, "settings"))
    assert "Paywall episode" in card and "Editors" in card
    assert "Lin Wan · character" in _said(await writer.slash(channel, "canon show", name="Lin Wan"))
    refused = await writer.slash(channel, "settings", paywall_episode=3)
    assert private_reply(refused).content == "Only editors can change project settings."
    env.errors.clear()


async def test_counts_take_the_languages_plural_forms(jade_world, client_locale, room):
    """English says '1 canon entry' and '2 canon entries'; Chinese has one form, numbers grouped by Babel."""
    env, guild, channel, boss, writer = jade_world
    fresh = guild.create_text_channel("pilot")
    await boss.slash(fresh, "project create", name="pilot")
    await boss.slash(fresh, "canon add", kind="location", name="Rooftop", text="Where Gu Chen thinks.")
    assert "1 canon entry" in _said(await writer.slash(fresh, "settings"))
    count = room.store.count_entries(room.project("jade", f"discord:{guild.id}").id)
    assert f"{count} canon entries" in _said(await writer.slash(channel, "settings"))
    client_locale[writer.id] = "zh-CN"
    assert "1 条设定" in _said(await writer.slash(fresh, "settings"))
