"""NameError and unquoted words as hints: the pieces alone, then on an in-process IPython shell."""
from __future__ import annotations

import pytest

from skmkit import hints


@pytest.mark.parametrize("name, line, expected", [
    ("B", "mutu = B", 'tanda kutip: mutu = "B"'),
    ("U8", "unsur_terendah = U8  # kunci", 'unsur_terendah = "U8"'),
    ("Imunisasi", "layanan_terendah = Imunisasi", 'layanan_terendah = "Imunisasi"'),
    ("false", "sampel_cukup = false", "sampel_cukup = False"),
    ("df", "df.head()", "Run All Above"),
    ("Markdown", 'Markdown(f"x")', "Run All Above"),
])
def test_name_hint(name, line, expected):
    assert expected in hints.name_hint(name, line)


def test_a_called_name_is_not_told_to_take_quotes():
    assert "tanda kutip" not in hints.name_hint("Markdown", 'Markdown("x")')


def test_simple_assignment_and_quote_unparsable():
    assert hints.simple_assignment("mutu = B") == ("mutu", "B")
    assert hints.simple_assignment("mutu = B.lower()") is None and hints.simple_assignment("x = (") is None
    assert hints.quote_unparsable(["x = Waktu Penyelesaian\n"]) == ["x = _skmkit_tanpa_kutip('Waktu Penyelesaian')\n"]
    broken = ["for i in range(3)\n", "    x = i\n"]  # a real syntax error stays Python's
    assert hints.quote_unparsable(broken) == broken


@pytest.fixture
def shell(capsys):
    from IPython.core.interactiveshell import InteractiveShell

    sh = InteractiveShell.instance()
    seen = []

    def handler(exc):
        where = hints.typed_in_cell(exc)
        if where:
            seen.append(where)
        return where is not None

    hints.install(sh, handler)
    hints.install(sh, handler)  # twice: still one transformer
    sh.seen = seen
    yield sh
    sh.ast_transformers[:] = [t for t in sh.ast_transformers if not isinstance(t, hints._CatchNameErrors)]
    sh.input_transformers_post.remove(hints.quote_unparsable)
    InteractiveShell.clear_instance()


def test_a_name_error_typed_in_the_cell_goes_to_the_handler_and_the_cell_succeeds(shell):
    assert sum(isinstance(t, hints._CatchNameErrors) for t in shell.ast_transformers) == 1
    result = shell.run_cell("mutu = B_tidak_ada")
    assert result.success and shell.seen == [("B_tidak_ada", "mutu = B_tidak_ada")]
    result = shell.run_cell("[x for x in range(2) if tidak_ada_juga]")
    assert result.success and shell.seen[-1][0] == "tidak_ada_juga"


def test_the_last_expression_is_still_the_cells_result(shell):
    assert shell.run_cell("a = 20\na + 22").result == 42
    assert shell.run_cell("print('x')").result is None


def test_a_name_error_inside_a_function_keeps_its_traceback(shell):
    shell.run_cell("def f():\n    return nama_di_dalam\n")
    result = shell.run_cell("f()")
    assert not result.success and isinstance(result.error_in_exec, NameError)


def test_other_errors_and_future_imports_are_untouched(shell):
    assert isinstance(shell.run_cell("1 / 0").error_in_exec, ZeroDivisionError)
    assert shell.run_cell("from __future__ import annotations\nx = 1").success


def test_words_without_quotes_become_an_unquoted_answer(shell, capsys):
    assert shell.run_cell("unsur_terendah = Waktu Penyelesaian").success
    assert shell.user_ns["unsur_terendah"] == hints.Unquoted("Waktu Penyelesaian")
    assert "`Waktu Penyelesaian` ditulis tanpa tanda kutip" in capsys.readouterr().out
