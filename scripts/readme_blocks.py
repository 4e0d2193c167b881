"""Prints code blocks of README.md for scripts/newcomer-check, so the check runs what the README
says rather than a copy of it.

  readme_blocks.py README.md sh-first       the first command of the first ```sh block
  readme_blocks.py README.md python-count   how many ```python snippets there are (blocks whose
                                            first line is `# pip install …`)
  readme_blocks.py README.md python N       the Nth such snippet (from 0)
  readme_blocks.py README.md pytest-example the ```python block after <!-- newcomer-check: pytest -->
  readme_blocks.py README.md sh-cli         the ```sh block after <!-- newcomer-check: cli -->,
                                            less the line that sets INSTANCE_ID (the check sets it)
  readme_blocks.py README.md sh-ssh         the ```sh block after <!-- newcomer-check: ssh -->
"""
import re
import sys


def blocks(text):
    """(language, body, index of the line before the fence) for every fenced block."""
    out = []
    for m in re.finditer(r"^```(\w*)\n(.*?)^```", text, re.S | re.M):
        before = text[: m.start()].rstrip("\n").rsplit("\n", 1)[-1]
        out.append((m.group(1), m.group(2), before))
    return out


def snippets(found):
    return [b for lang, b, _ in found if lang == "python" and b.startswith("# pip install ")]


def main(path, what, arg=None):
    found = blocks(open(path, encoding="utf-8").read())
    if what == "sh-first":
        body = next(b for lang, b, _ in found if lang == "sh")
        print(next(l for l in body.splitlines() if l.strip() and not l.startswith("#")))
    elif what == "python-count":
        print(len(snippets(found)))
    elif what == "python":
        print(snippets(found)[int(arg)], end="")
    elif what == "pytest-example":
        print(next(b for lang, b, before in found if lang == "python" and "newcomer-check: pytest" in before), end="")
    elif what == "sh-cli":
        body = next(b for lang, b, before in found if lang == "sh" and "newcomer-check: cli" in before)
        print("".join(l + "\n" for l in body.splitlines() if not l.startswith("INSTANCE_ID=")), end="")
    elif what == "sh-ssh":
        print(next(b for lang, b, before in found if lang == "sh" and "newcomer-check: ssh" in before), end="")
    else:
        sys.exit(f"unknown request {what}")


if __name__ == "__main__":
    main(*sys.argv[1:])
