"""Text -> checked syntax tree: the character filter and the limits on the raw text.

The first line of defence for a formula typed on a public server: every character is
checked against a short list (with a hint for look-alikes pasted from slides), length,
parenthesis nesting and the number of syntax-tree nodes are bounded, and only then is the
text handed to ``ast.parse(..., mode="eval")``, which builds a tree and runs nothing. What
the tree may contain is decided in :mod:`.whitelist`.
"""

from __future__ import annotations

import ast
import warnings

MAX_LENGTH = 300
MAX_NESTING = 30
MAX_NODES = 200

_ALLOWED_CHARACTERS = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 +-*/^().,"
)
# Characters students paste from slides or a Chinese input method.
_CHARACTER_HINTS = {
    "×": "*", "·": "*", "÷": "/", "−": "-", "–": "-", "²": "**2", "³": "**3",
    "（": "(", "）": ")", "，": ",", "π": "pi", "[": "(", "]": ")", "{": "(", "}": ")",
}


def _parse(text: str) -> tuple[ast.Expression, str]:
    """Check characters, length and nesting on the raw text, then parse it.

    Returns the tree and the stripped source. Positions in messages count from 1 in the
    text as typed.
    """
    text = text.replace("\t", " ").replace("\n", " ").replace("\r", " ")
    lead = len(text) - len(text.lstrip())
    source = text.strip()
    if not source:
        raise ValueError("The formula is empty; type f(x, y), e.g. x**2 + 3*sin(y)")
    if len(source) > MAX_LENGTH:
        raise ValueError(f"Formula is too long ({len(source)} characters, at most {MAX_LENGTH})")
    depth = 0
    opened: list[int] = []
    for index, char in enumerate(source):
        position = lead + index + 1
        if char not in _ALLOWED_CHARACTERS:
            hint = _CHARACTER_HINTS.get(char)
            message = f"Unexpected character {char!r} at position {position}"
            raise ValueError(f"{message}; use {hint!r} instead" if hint else message)
        if char == "(":
            depth += 1
            opened.append(position)
            if depth > MAX_NESTING:
                raise ValueError(
                    f"Formula is nested too deeply (more than {MAX_NESTING} levels of parentheses)"
                )
        elif char == ")":
            if not opened:
                raise ValueError(f"Unbalanced parentheses: ')' at position {position} has no '('")
            depth -= 1
            opened.pop()
    if opened:
        raise ValueError(f"Unbalanced parentheses: '(' at position {opened[-1]} is never closed")

    # '^' is power for students; Python reads it as XOR with the wrong precedence.
    parsed = source.replace("^", "**")
    original_index = [i for i, char in enumerate(source) for _ in range(2 if char == "^" else 1)]
    try:
        # "2or x" only warns (invalid decimal literal) and parses as a boolean expression; as
        # an error it gets the same message as "2x", and no warning reaches the server log.
        with warnings.catch_warnings():
            warnings.simplefilter("error", SyntaxWarning)
            tree = ast.parse(parsed, mode="eval")
    except SyntaxError as error:
        raise ValueError(_syntax_message(source, error, original_index, lead)) from None
    except (RecursionError, MemoryError):
        raise ValueError("Formula is nested too deeply") from None
    nodes = sum(1 for node in ast.walk(tree) if isinstance(node, ast.expr))
    if nodes > MAX_NODES:
        raise ValueError(f"Formula has too many parts ({nodes}, at most {MAX_NODES}); simplify it")
    return tree, source


def _syntax_message(source: str, error: SyntaxError, original_index: list[int], lead: int) -> str:
    offset = (error.offset or 0) - 1
    if source[-1] in "+-*/^(,":
        return f"The formula ends with {source[-1]!r}; something is missing after it"
    if 0 <= offset < len(original_index):
        where = f"near position {lead + original_index[offset] + 1}"
    else:
        where = "at the end"
    detail = error.msg or "invalid syntax"
    if "literal" in detail:
        detail = "a number is followed by a letter; write 2*x, not 2x"
    elif "invalid syntax" in detail:
        detail = "an operator may be missing (write x*y, not x y) or be in the wrong place"
    return f"Could not read the formula {where}: {detail}"
