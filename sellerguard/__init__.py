"""SellerGuard: defend Amazon.co.jp sellers against harassment orders."""

__version__ = "0.1.0"
