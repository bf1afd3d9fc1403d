"""What ``sellerguard scan`` writes and prints: the result file and row-problem lines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from sellerguard.i18n import MissingMessage, t

if TYPE_CHECKING:
    from sellerguard.exports import RowProblem
    from sellerguard.rules import ScanResult


def result_table(result: ScanResult, lang: str) -> pd.DataFrame:
    """One row per distinct order id with the contract columns, highest score first."""
    orders = result.orders
    table = pd.DataFrame(
        {
            "order_id": orders["order_id"],
            "risk_score": orders["risk_score"],
            "risk_level": orders["risk_level"],
            "reasons": orders[f"reasons_{lang}"],
            "reason_codes": orders["reason_codes"],
            "reasons_ja": orders["reasons_ja"],
            "reasons_en": orders["reasons_en"],
            "status": orders["status"],
            "purchase_date": orders["purchase_date"],
            "sku": orders["sku"],
            "quantity": orders["quantity"],
            "group_id": orders["group_id"],
        }
    )
    return table.sort_values(["risk_score", "order_id"], ascending=[False, True], kind="stable")


def write_result(result: ScanResult, out: Path, fmt: str, lang: str) -> None:
    """Write the result as CSV (UTF-8 with BOM, so Excel opens it) or JSON."""
    table = result_table(result, lang)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "json":
        records = json.loads(table.to_json(orient="records", date_format="iso", force_ascii=False))
        out.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    else:
        import pyarrow as pa
        import pyarrow.csv as pacsv

        printable = table.assign(
            purchase_date=table["purchase_date"].dt.strftime("%Y-%m-%dT%H:%M:%S%z")
        )
        arrow = pa.Table.from_pandas(printable, preserve_index=False)
        with out.open("wb") as handle:
            handle.write("\ufeff".encode())  # a BOM, so that Excel reads UTF-8
            pacsv.write_csv(arrow, handle)


def describe_problem(problem: RowProblem, lang: str) -> str:
    """``file:line: what is wrong (expected …, got …)`` in ``lang``."""
    try:
        what = t(f"exports.problem.{problem.reason}", lang)
    except MissingMessage:
        what = problem.reason
    where = f"{problem.file}:{problem.line}" if problem.line is not None else problem.file
    column = f" [{problem.column}]" if problem.column else ""
    detail = t("cli.problem.detail", lang, expected=problem.expected, got=problem.got)
    return f"{where}:{column} {what} {detail}".replace(":  ", ": ")
