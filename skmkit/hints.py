"""Hints instead of ``NameError`` for names typed in a notebook cell.

A participant who writes ``mutu = B`` (a letter without quotes) or runs a
check cell before its exercise cell gets ``NameError`` and a traceback from
Python. In a workshop that stops Run All and teaches nothing. Words without
quotes (``unsur_terendah = Waktu Penyelesaian``) do not even parse:
:func:`quote_unparsable`, an input transformer, turns such a line into a hint. :func:`install`
adds an AST transformer to the IPython shell that wraps every cell in
``try: ... except NameError``; a ``NameError`` raised by the code typed in the
cell (not inside a library function) goes to a handler, which prints an
Indonesian hint and lets the cell finish, so the next cells still run. Any
other error, and a ``NameError`` raised deeper, keeps its usual traceback.

The value of a cell's last expression is still displayed: the transformer
stores it in a variable and ends the cell with that variable.

:func:`name_hint` writes the hint; :func:`typed_in_cell` tells whether an
error comes from the cell's own code and returns the name and the line.
:class:`Unquoted` stands for an answer written without quotes
(``mutu = B`` leaves ``mutu`` holding ``Unquoted("B")``), so the check cell
below can give the same hint.
"""
from __future__ import annotations

import ast
import linecache
import re
from dataclasses import dataclass

__all__ = ["Unquoted", "name_hint", "typed_in_cell", "simple_assignment", "quote_unparsable", "install", "HANDLER"]

#: The name under which the handler is placed in the user's namespace.
HANDLER = "_skmkit_nama_belum_dikenal"
_WORDS = "_skmkit_tanpa_kutip"
_VALUE = "_skmkit_nilai_sel"
# `unsur_terendah = Waktu Penyelesaian`: words without quotes, which Python cannot even parse.
_UNQUOTED_WORDS = re.compile(r"^(\s*)([A-Za-z_]\w*)\s*=\s*([A-Za-z][\w/,.-]*(?:[ \t]+[\w/,.-]+)+?)\s*(#.*)?$")
_ERROR = "_skmkit_galat"
_TRUTH = {"true": "True", "false": "False", "benar": "True", "salah": "False", "ya": "True", "tidak": "False"}


@dataclass(frozen=True)
class Unquoted:
    """An answer typed without quotes: ``mutu = B`` leaves ``mutu`` holding ``Unquoted("B")``."""

    name: str

    @property
    def hint(self) -> str:
        if self.name.lower() in _TRUTH:  # `sampel_cukup = false`: not text, Python's True/False
            return _truth_hint(self.name)
        return (f"`{self.name}` ditulis tanpa tanda kutip. Jawaban berupa teks ditulis dalam tanda kutip: "
                f"\"{self.name}\"")

    def __repr__(self) -> str:
        return f"{self.name} (tanpa tanda kutip)"


def name_hint(name: str, line: str) -> str:
    """The Indonesian hint for a name Python does not know, typed in ``line``.

    Examples
    --------
    >>> name_hint("B", "mutu = B")
    '`B` tanpa tanda kutip dibaca Python sebagai nama variabel, dan variabel itu tidak ada. Jawaban berupa teks ditulis dalam tanda kutip: mutu = "B"'
    >>> name_hint("true", "sampel_cukup = true").startswith("Python menulis")
    True
    """
    if name.lower() in _TRUTH:
        return _truth_hint(name, line)
    fixed = _quoted(line, name, f'"{name}"')
    called = re.search(rf"\b{re.escape(name)}\s*[(.\[]", line.split("#", 1)[0])  # a function or an object
    answer_like = re.fullmatch(r"[A-D]|[Uu]\d|[A-Z][a-z]+", name) or simple_assignment(line)
    if answer_like and not called:
        return (f"`{name}` tanpa tanda kutip dibaca Python sebagai nama variabel, dan variabel itu tidak ada. "
                f"Jawaban berupa teks ditulis dalam tanda kutip: {fixed or chr(34) + name + chr(34)}")
    text = "" if called else f" Bila itu teks, tulis dalam tanda kutip (\"{name}\")."
    return (f"`{name}` belum dikenal.{text} Bila itu dibuat di sel lain, jalankan dulu sel-sel di atasnya dari atas "
            f"ke bawah (menu Run > Run All Above), lalu jalankan sel ini lagi.")


def _truth_hint(name: str, line: str = "") -> str:
    """The hint for ``true``/``false``/``benar``... typed where Python's ``True``/``False`` belongs."""
    fixed = (_quoted(line, name, _TRUTH[name.lower()]) if line else "") or _TRUTH[name.lower()]
    return (f"Python menulis benar/salah sebagai True atau False (huruf besar di awal, tanpa tanda kutip), "
            f"bukan `{name}`: mis. {fixed}")


def _quoted(line: str, name: str, replacement: str) -> str:
    """``line`` with the bare ``name`` replaced (comment dropped), or "" when the line does not show it."""
    code = line.split("#", 1)[0].strip()
    if not re.search(rf"\b{re.escape(name)}\b", code):
        return ""
    return re.sub(rf"(?<![\w.'\"]){re.escape(name)}(?![\w'\"])", replacement, code)


def simple_assignment(line: str) -> tuple[str, str] | None:
    """``(target, name)`` when ``line`` is ``target = name`` (a bare name on the right), else ``None``.

    Examples
    --------
    >>> simple_assignment("mutu = B  # huruf mutu")
    ('mutu', 'B')
    >>> simple_assignment("mutu = df.B") is None
    True
    """
    try:
        tree = ast.parse(line.strip())
    except SyntaxError:
        return None
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Assign):
        return None
    stmt = tree.body[0]
    if len(stmt.targets) != 1 or not isinstance(stmt.targets[0], ast.Name) or not isinstance(stmt.value, ast.Name):
        return None
    return stmt.targets[0].id, stmt.value.id


def typed_in_cell(exc: NameError) -> tuple[str, str] | None:
    """``(name, line)`` when the error comes from code typed in the cell, else ``None``.

    The cell's frame is the outermost of the traceback (the error is caught
    there); the error is the cell's own when the innermost frame runs code of
    the same cell (the cell itself, or a lambda or comprehension in it).
    """
    tb = exc.__traceback__
    if tb is None or not getattr(exc, "name", None):
        return None
    cell = tb.tb_frame.f_code.co_filename
    while tb.tb_next is not None:
        tb = tb.tb_next
    if tb.tb_frame.f_code.co_filename != cell:
        return None
    return exc.name, linecache.getline(cell, tb.tb_lineno).strip()


def quote_unparsable(lines: list[str]) -> list[str]:
    """Rewrite ``x = some words`` (words without quotes) in a cell Python cannot parse.

    An IPython input transformer (``input_transformers_post``): the line
    becomes a call that prints a hint and assigns :class:`Unquoted` (the
    check cell then says the same). A cell that parses, or that still does
    not parse after the rewrite, is returned unchanged, so Python reports
    its own syntax error.

    Examples
    --------
    >>> quote_unparsable(["unsur_terendah = Waktu Penyelesaian  # kunci\\n"])
    ["unsur_terendah = _skmkit_tanpa_kutip('Waktu Penyelesaian')  # kunci\\n"]
    >>> quote_unparsable(["x = 1\\n"])
    ['x = 1\\n']
    """
    try:
        ast.parse("".join(lines))
        return lines
    except SyntaxError:
        pass
    out = []
    for line in lines:
        m = _UNQUOTED_WORDS.match(line.rstrip("\n"))
        if m:
            comment = f"  {m.group(4)}" if m.group(4) else ""
            line = f"{m.group(1)}{m.group(2)} = {_WORDS}({m.group(3)!r}){comment}\n"
        out.append(line)
    try:
        ast.parse("".join(out))
    except SyntaxError:
        return lines
    return out


def _unquoted_words(text: str) -> Unquoted:
    answer = Unquoted(text)
    print(f"\N{HEAVY MULTIPLICATION X} {answer.hint}")
    return answer


class _CatchNameErrors(ast.NodeTransformer):
    """Wrap a cell in ``try/except NameError`` that calls the handler; keep the last expression displayed."""

    def visit_Module(self, node: ast.Module) -> ast.Module:
        body = list(node.body)
        if not body or any(isinstance(s, ast.ImportFrom) and s.module == "__future__" for s in body):
            return node
        tail = []
        if isinstance(body[-1], ast.Expr):
            last = body.pop()
            body.append(ast.copy_location(ast.Assign(targets=[ast.Name(_VALUE, ast.Store())], value=last.value), last))
            tail = [ast.copy_location(ast.Expr(ast.Name(_VALUE, ast.Load())), last)]
        handled = ast.Call(ast.Name(HANDLER, ast.Load()), [ast.Name(_ERROR, ast.Load())], [])
        on_error = [ast.If(ast.UnaryOp(ast.Not(), handled), [ast.Raise()], [])]
        if tail:
            on_error.append(ast.Assign(targets=[ast.Name(_VALUE, ast.Store())], value=ast.Constant(None)))
        wrapped = ast.Try(body=body, handlers=[ast.ExceptHandler(ast.Name("NameError", ast.Load()), _ERROR, on_error)],
                          orelse=[], finalbody=[])
        node.body = [ast.copy_location(wrapped, body[0]), *tail]
        return ast.fix_missing_locations(node)


def install(shell, handler) -> None:
    """Make ``shell`` (an IPython shell) pass cell ``NameError``s to ``handler`` (idempotent).

    Parameters
    ----------
    shell : IPython.core.interactiveshell.InteractiveShell
    handler : callable
        ``handler(exc) -> bool``: prints a hint and returns True when it
        handled the error; returning False re-raises it with its traceback.
    """
    shell.user_ns[HANDLER] = handler
    shell.user_ns[_WORDS] = _unquoted_words
    if not any(isinstance(t, _CatchNameErrors) for t in shell.ast_transformers):
        shell.ast_transformers.append(_CatchNameErrors())
    if quote_unparsable not in shell.input_transformers_post:
        shell.input_transformers_post.append(quote_unparsable)
