"""CI's wheel check: the package as `pip install cliffhanger` installs it (no checkout, no editable
paths) builds the demo project from its bundled bible and answers a question with a model, here the
tests' scripted OpenAI-compatible server. Usage: python .ci/wheel_check.py WHEEL_VENV"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from scripted_llm import ScriptedLLM  # noqa: E402


def main(venv: Path) -> None:
    cliffhanger = venv / "bin" / "cliffhanger"
    server = ScriptedLLM()
    answer = "Su Mei took the seal during the birthday dinner."
    server.queue(json.dumps({"answer": answer, "citations": []}))
    with tempfile.TemporaryDirectory() as tmp:  # an empty directory: no .env, no source tree on the path
        env = {"PATH": os.environ.get("PATH", ""), "HOME": tmp, "CLIFFHANGER_DATA_DIR": f"{tmp}/data"}
        model = {"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": "ci", "CLIFFHANGER_MODEL": "scripted",
                 "CLIFFHANGER_MODEL_RETRIES": "0"}

        def run(*args: str, with_model: bool = False) -> str:
            done = subprocess.run([str(cliffhanger), *args], cwd=tmp, env={**env, **(model if with_model else {})},
                                  capture_output=True, text=True)
            if done.returncode:
                sys.exit(f"wheel check: `cliffhanger {' '.join(args)}` failed ({done.returncode}):\n{done.stderr}")
            return done.stdout

        where = subprocess.run([str(venv / "bin" / "python"), "-c", "import bot; print(bot.__file__)"], cwd=tmp,
                               env=env, capture_output=True, text=True, check=True).stdout.strip()
        if not where.startswith(str(venv)):
            sys.exit(f"wheel check: bot was imported from {where}, not from the wheel")
        run("demo")  # the bundled example bible, lookups without a model
        if "连续剧编剧室" not in run("--lang", "zh-CN", "--help"):
            sys.exit("wheel check: the message catalogs (bot/i18n/locales) are not in the wheel")
        doc = json.loads(run("ask", "--project", "jade-seal-demo", "--json", "Who took the jade seal?",
                             with_model=True))
        server.close()
    if doc.get("mode") != "llm" or doc.get("answer") != answer:
        sys.exit(f"wheel check: unexpected answer {doc}")
    sent = server.requests[-1]["messages"]
    if "canon keeper" not in sent[0]["content"] or "<canon>" not in sent[1]["content"]:
        sys.exit("wheel check: the model was not sent the packaged prompts")
    print(f"wheel check: {where} answered with the model through the packaged prompts")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
