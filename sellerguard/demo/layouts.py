"""Column layouts of the Seller Central reports the demo writes, and a fast TSV writer."""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

ALL_ORDERS_COLUMNS: tuple[str, ...] = (
    "amazon-order-id", "merchant-order-id", "purchase-date", "last-updated-date", "order-status",
    "fulfillment-channel", "sales-channel", "order-channel", "ship-service-level", "product-name",
    "sku", "asin", "item-status", "quantity", "currency", "item-price", "item-tax",
    "shipping-price", "shipping-tax", "gift-wrap-price", "gift-wrap-tax",
    "item-promotion-discount", "ship-promotion-discount", "ship-city", "ship-state",
    "ship-postal-code", "ship-country", "promotion-ids", "is-business-order",
    "purchase-order-number", "price-designation",
)  # fmt: skip

_ORDER_REPORT_HEAD: tuple[str, ...] = (
    "order-id", "order-item-id", "purchase-date", "payments-date", "buyer-email", "buyer-name",
    "buyer-phone-number", "sku", "product-name", "quantity-purchased", "currency", "item-price",
    "item-tax", "shipping-price", "shipping-tax", "ship-service-level", "recipient-name",
    "ship-address-1", "ship-address-2", "ship-address-3", "ship-city", "ship-state",
    "ship-postal-code", "ship-country", "ship-phone-number", "delivery-start-date",
    "delivery-end-date", "delivery-time-zone", "delivery-Instructions", "sales-channel",
    "is-business-order", "purchase-order-number", "price-designation",
)  # fmt: skip
COD_COLUMNS: tuple[str, ...] = (
    "payment-method", "cod-collectible-amount", "already-paid", "payment-method-fee",
)  # fmt: skip
_ORDER_REPORT_TAIL: tuple[str, ...] = (
    "scheduled-delivery-start-date", "scheduled-delivery-end-date", "points-granted", "is-prime",
)  # fmt: skip
ORDER_REPORT_COLUMNS: tuple[str, ...] = _ORDER_REPORT_HEAD + _ORDER_REPORT_TAIL
ORDER_REPORT_COD_COLUMNS: tuple[str, ...] = _ORDER_REPORT_HEAD + COD_COLUMNS + _ORDER_REPORT_TAIL

PENDING_ORDERS_COLUMNS: tuple[str, ...] = (
    "order-id", "order-item-id", "purchase-date", "sku", "product-name", "quantity-purchased",
    "payment-type",
)  # fmt: skip

RETURNS_COLUMNS: tuple[str, ...] = (
    "order-id", "order-date", "return-request-date", "return-request-status", "amazon-rma-id",
    "merchant-sku", "asin", "item-name", "return-quantity", "return-reason", "refunded-amount",
)  # fmt: skip

LABELS_COLUMNS: tuple[str, ...] = ("order_id", "label", "pattern", "campaign")


def write_tsv(
    frames: pd.DataFrame | Iterable[pd.DataFrame],
    path: Path,
    columns: tuple[str, ...],
    *,
    encoding: str,
    newline: str,
    delimiter: str = "\t",
) -> int:
    """Write ``frame[columns]`` (all text) as an unquoted delimited file; return rows written.

    ``frames`` may be one DataFrame or an iterable of chunks (written one after the other,
    one header), which keeps memory flat for a million orders. pyarrow writes UTF-8; other
    encodings are transcoded in memory (the historic era's cp932 files are small enough).
    """
    chunks = [frames] if isinstance(frames, pd.DataFrame) else frames
    schema = pa.schema([(name, pa.string()) for name in columns])
    options = pa_csv.WriteOptions(
        delimiter=delimiter, eol=newline, quoting_style="none", quoting_header="none"
    )
    utf8 = encoding.lower().replace("-", "").replace("_", "") == "utf8"
    sink: io.BytesIO | str = str(path) if utf8 else io.BytesIO()
    rows = 0
    with pa_csv.CSVWriter(sink, schema, write_options=options) as writer:
        for chunk in chunks:
            table = pa.Table.from_pandas(chunk.loc[:, list(columns)], preserve_index=False)
            writer.write_table(table.cast(schema))
            rows += table.num_rows
    if isinstance(sink, io.BytesIO):
        path.write_bytes(sink.getvalue().decode("utf-8").encode(encoding))
    return rows
