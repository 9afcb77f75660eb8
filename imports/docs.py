"""docs/import.md's table of columns, written from the template's own declaration (imports/table.py)
so that the documentation cannot drift from what the import reads: ``python manage.py
import_template_doc`` rewrites it; a test fails when it is out of date."""

from imports.table import COLUMNS

BEGIN, END = "<!-- columns:begin -->", "<!-- columns:end -->"


def columns_markdown() -> str:
    lines = ["| Kolumna | Wymagana | Poziom | Co wpisać | Przykład |", "|---|---|---|---|---|"]
    for c in COLUMNS:
        level = "rodzina (pierwszy wiersz)" if c.level == "family" else "osoba (każdy wiersz)"
        example = f"`{c.example}`" if c.example else ""
        lines.append(f"| `{c.key}` | {'tak' if c.required else 'nie'} | {level} | {c.help} | {example} |")
    return "\n".join(lines)


def document_with_columns(text: str) -> str:
    head, rest = text.split(BEGIN, 1)
    _old, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{columns_markdown()}\n{END}{tail}"
