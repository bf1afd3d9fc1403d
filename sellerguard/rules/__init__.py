"""Heuristics that flag harassment orders, declared as data, and the scorer that runs them."""

from sellerguard.rules.declarations import RULES, RULES_BY_CODE, Rule
from sellerguard.rules.scoring import ScanContext, ScanResult, scan, scan_orders

__all__ = [
    "RULES",
    "RULES_BY_CODE",
    "Rule",
    "ScanContext",
    "ScanResult",
    "scan",
    "scan_orders",
]
