"""frontdesk: counter software for a telecom branch office front desk (营业厅前台)."""

__version__ = "0.1.0"
