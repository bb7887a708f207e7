"""o2c: an embeddable Order-to-Cash billing library."""

from o2c.errors import O2CError
from o2c.money import Currency, Money, Rounding

__all__ = ["Currency", "Money", "O2CError", "Rounding"]
__version__ = "0.1.0"
