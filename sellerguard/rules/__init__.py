"""Heuristics that flag harassment orders, declared as data, and the scorer that runs them."""

from sellerguard.rules.declarations import RULES, RULES_BY_CODE, Rule
from sellerguard.rules.scoring import SCAN_COLUMNS, ScanContext, ScanResult, scan, scan_orders

__all__ = [
    "RULES",
    "RULES_BY_CODE",
    "SCAN_COLUMNS",
    "Rule",
    "ScanContext",
    "ScanResult",
    "scan",
    "scan_orders",
]
