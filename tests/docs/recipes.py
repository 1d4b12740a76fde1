"""Runs the code blocks of a Markdown page that are marked for testing.

    recipes.py EXE DOC.md WORK

A block is marked by the line `<!-- test: FILE -->` right before its
opening fence. Each marked block is written to WORK/FILE as it stands and
run there, in the order of the page: FILE.lua with `EXE run FILE --quiet`,
FILE.py with this Python. Every ```python and ```lua block of the page
must be marked, so that no example there goes untested (```julia and
```sh blocks are not run).
"""
import pathlib
import re
import shutil
import subprocess
import sys

exe = str(pathlib.Path(sys.argv[1]).resolve())
doc, work = pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
marker = re.compile(r"^<!-- test: ([A-Za-z0-9_.-]+\.(?:lua|py)) -->$")
fence = re.compile(r"^```(\w*)\s*$")

blocks, unmarked = [], []
lines = doc.read_text(encoding="utf-8").splitlines()
i = 0
while i < len(lines):
    m = fence.match(lines[i])
    if not m:
        i += 1
        continue
    language, start = m.group(1), i
    end = next((j for j in range(i + 1, len(lines)) if lines[j].rstrip() == "```"), None)
    if end is None:
        sys.exit(f"{doc}:{start + 1}: a code block is not closed")
    name = marker.match(lines[start - 1]) if start > 0 else None
    if name:
        suffix = {"lua": ".lua", "python": ".py"}.get(language)
        if not name.group(1).endswith(suffix or "?"):
            sys.exit(f"{doc}:{start + 1}: block marked {name.group(1)} is a ```{language} block")
        blocks.append((name.group(1), start + 1, "\n".join(lines[start + 1:end]) + "\n"))
    elif language in ("lua", "python"):
        unmarked.append(f"{doc}:{start + 1}: ```{language} block without a '<!-- test: FILE -->' line before it")
    i = end + 1

if unmarked:
    print("\n".join(unmarked))
    sys.exit(1)
if not blocks:
    sys.exit(f"{doc}: no marked blocks")

shutil.rmtree(work, ignore_errors=True)
work.mkdir(parents=True)
for name, line, text in blocks:
    (work / name).write_text(text, encoding="utf-8")
    command = [exe, "run", name, "--quiet"] if name.endswith(".lua") else [sys.executable, name]
    print(f"== {name} ({doc.name}:{line})", flush=True)
    result = subprocess.run(command, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    print(result.stdout, end="", flush=True)
    if result.returncode != 0:
        print(f"FAIL: {name} ({doc.name}:{line}) exited with status {result.returncode}")
        sys.exit(1)
print(f"docs: {len(blocks)} blocks of {doc.name} ran")
