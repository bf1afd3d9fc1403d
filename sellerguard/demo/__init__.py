"""The demo dataset: realistic Seller Central exports with planted, labelled harassment."""

from sellerguard.demo.generator import DemoManifest, EraManifest, generate_demo

__all__ = ["DemoManifest", "EraManifest", "generate_demo"]
