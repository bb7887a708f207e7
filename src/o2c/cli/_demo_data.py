"""The demo book's data: a Mexican SaaS seller with customers in Mexico, the EU and the US.

Everything is fixed (no clock, no randomness) so the demo prints the same figures every
time: usage quantities follow a simple daily pattern.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Final

import attrs

__all__ = [
    "AS_OF",
    "CUSTOMERS",
    "MONTHS",
    "RATE_CARDS",
    "SELLER",
    "SELLER_IDENTITY",
    "DemoCustomer",
    "daily_usage",
    "time_entries",
]

#: The seller: a Mexican company (IVA 16 % at home, 0 % on exported services).
SELLER: Final = {"country": "MX", "tax_id": "ODE150101AB3"}

#: The seller's identity printed on the demo's documents: paid in MXN by CLABE (Mexico
#: has no IBAN) and in EUR into a German account; e-invoices to its e-mail endpoint.
SELLER_IDENTITY: Final = {
    "legal_name": "Ódena Datos SA de CV",
    "street": "Av. Paseo de la Reforma 250\nPiso 12",
    "city": "Ciudad de México",
    "postal_code": "06600",
    "region": "CMX",
    "regime": "601",
    "registration": "Folio mercantil 12345-1",
    "clabe": "032180000118359719",
    "iban": "DE89 3704 0044 0532 0130 00",
    "bic": "COBADEFFXXX",
    "bank": "Commerzbank",
    "email": "facturas@odena.example",
    "phone": "+52 55 1234 5678",
    "website": "https://odena.example",
}

#: The months billed (period, invoice date) and the aging date of the summary.
MONTHS: Final = (("2026-09", dt.date(2026, 10, 1)), ("2026-10", dt.date(2026, 11, 1)))
AS_OF: Final = dt.date(2026, 12, 15)

RATE_CARDS: Final = {
    "mx-saas.toml": """
[ratecard]
code = "mx-saas"
name = "Plataforma SaaS México"
currency = "MXN"

[[versions]]
effective_from = 2026-01-01

[versions.items.platform]
name = "Suscripción a la plataforma"
unit = "mes"
tax_category = "S"
model = "flat"
price = "1990.00"

[versions.items.seats]
name = "Usuarios"
unit = "usuario"
tax_category = "S"
model = "per_unit"
unit_price = "249.00"

[versions.items.api_calls]
name = "Llamadas a la API"
unit = "llamada"
tax_category = "S"
model = "graduated"
tiers = [
  { up_to = 10000, unit_price = "0", flat_fee = "200.00" },
  { up_to = 100000, unit_price = "0.04" },
  { up_to = "inf", unit_price = "0.02" },
]

[versions.items.sms]
name = "Mensajes SMS"
unit = "mensaje"
tax_category = "S"
model = "package"
size = 1000
price = "160.00"
""",
    "eu-industrial.toml": """
[ratecard]
code = "eu-industrial"
name = "Industrial IoT platform (EU)"
currency = "EUR"

[[versions]]
effective_from = 2026-01-01

[versions.items.platform]
name = "Platform subscription"
unit = "month"
tax_category = "S"
model = "flat"
price = "149.00"

[versions.items.storage]
name = "Sensor data storage"
unit = "GB"
tax_category = "S"
model = "volume"
tiers = [
  { up_to = 100, unit_price = "0.50" },
  { up_to = 1000, unit_price = "0.40", flat_fee = "5.00" },
  { up_to = "inf", unit_price = "0.25", flat_fee = "20.00" },
]

[versions.items.sms]
name = "SMS alerts"
unit = "message"
tax_category = "S"
model = "package"
size = 500
price = "9.00"

[versions.items.consulting]
name = "Integration consulting"
unit = "hour"
tax_category = "S"
model = "time_and_materials"
rates = { senior = "160.00", junior = "90.00" }
increment = "0.25"
minimum_hours = 1
""",
    "us-saas.toml": """
[ratecard]
code = "us-saas"
name = "SaaS price book (US)"
currency = "USD"

[[versions]]
effective_from = 2026-01-01

[versions.items.platform]
name = "Platform subscription"
unit = "month"
tax_category = "S"
model = "flat"
price = "99.00"

[versions.items.seats]
name = "User seats"
unit = "seat"
tax_category = "S"
model = "per_unit"
unit_price = "12.50"
free_units = 3

[versions.items.api_calls]
name = "API calls"
unit = "call"
tax_category = "S"
model = "graduated"
tiers = [
  { up_to = 10000, unit_price = "0", flat_fee = "10.00" },
  { up_to = 100000, unit_price = "0.002" },
  { up_to = "inf", unit_price = "0.001" },
]

[versions.items.consulting]
name = "Consulting"
unit = "hour"
tax_category = "S"
model = "time_and_materials"
rates = { senior = "180.00", junior = "95.00" }
increment = "0.25"
minimum_hours = 1
""",
}


@attrs.frozen
class DemoCustomer:
    """A demo customer and its contract (id, rate card, start) and lines."""

    id: str
    name: str
    country: str
    currency: str
    tax_id: str | None
    address: tuple[str, str, str]
    locale: str
    time_zone: str
    terms: str
    contract: tuple[str, str, dt.date]
    recurring: tuple[tuple[str, str], ...]
    usage: tuple[str, ...]
    time: tuple[str, ...]


#: The customers and their contracts.
CUSTOMERS: Final = (
    DemoCustomer(
        id="C-MX-001",
        name="Tortillería La Esperanza, S.A. de C.V.",
        country="MX",
        currency="MXN",
        tax_id="TLE010101AB1",
        address=("Av. Juárez 100", "Guadalajara", "44100"),
        locale="es_MX",
        time_zone="America/Mexico_City",
        terms="net 30",
        contract=("K-MX-001", "mx-saas", dt.date(2026, 9, 1)),
        recurring=(("platform", "1"), ("seats", "12")),
        usage=("api_calls",),
        time=(),
    ),
    DemoCustomer(
        id="C-MX-002",
        name="Farmacias del Bajío, S.A. de C.V.",
        country="MX",
        currency="MXN",
        tax_id="FBA020202AB2",
        address=("Blvd. López Mateos 1500", "León", "37000"),
        locale="es_MX",
        time_zone="America/Mexico_City",
        terms="net 15",
        contract=("K-MX-002", "mx-saas", dt.date(2026, 9, 15)),
        recurring=(("platform", "1"),),
        usage=("sms",),
        time=(),
    ),
    DemoCustomer(
        id="C-EU-001",
        name="Müller Maschinenbau GmbH",
        country="DE",
        currency="EUR",
        tax_id="DE136695976",
        address=("Hauptstraße 12", "Stuttgart", "70173"),
        locale="de_DE",
        time_zone="Europe/Berlin",
        terms="net 30",
        contract=("K-EU-001", "eu-industrial", dt.date(2026, 9, 1)),
        recurring=(("platform", "1"),),
        usage=("storage",),
        time=("consulting",),
    ),
    DemoCustomer(
        id="C-EU-002",
        name="Boulangerie Dupont SARL",
        country="FR",
        currency="EUR",
        tax_id="FR40303265045",
        address=("12 rue de la Paix", "Lyon", "69002"),
        locale="fr_FR",
        time_zone="Europe/Paris",
        terms="net 30",
        contract=("K-EU-002", "eu-industrial", dt.date(2026, 9, 1)),
        recurring=(),
        usage=("sms",),
        time=(),
    ),
    DemoCustomer(
        id="C-US-001",
        name="Acme Analytics Inc.",
        country="US",
        currency="USD",
        tax_id=None,
        address=("1 Main Street", "Springfield", "62701"),
        locale="en_US",
        time_zone="America/Chicago",
        terms="net 15",
        contract=("K-US-001", "us-saas", dt.date(2026, 9, 1)),
        recurring=(("platform", "1"), ("seats", "25")),
        usage=("api_calls",),
        time=("consulting",),
    ),
)

#: Base daily quantity per usage item.
_DAILY: Final = {"api_calls": 4200, "sms": 55, "storage": 14}


def daily_usage(customer: str, item: str, day: dt.date) -> Decimal:
    """The usage of ``item`` by ``customer`` on ``day``: a fixed weekly pattern.

    Weekdays are busier than weekends; each customer has its own offset so the invoices
    differ. Storage is a daily sample summed over the month (GB-days / 30 is not modelled).
    """
    base = _DAILY[item]
    weekday_factor = Decimal("0.4") if day.weekday() >= 5 else Decimal(1)
    wobble = Decimal((day.day * 7 + len(customer) * 3) % 11) / Decimal(10)
    return (Decimal(base) * weekday_factor * (Decimal("0.6") + wobble / 2)).quantize(Decimal(1))


def time_entries(customer: str, month: str) -> list[tuple[str, str, str, str, str, bool]]:
    """Time entries ``(id, person, role, date, hours, approved)`` of a customer in a month."""
    year, mon = (int(part) for part in month.split("-"))
    rows: list[tuple[str, str, str, str, str, bool]] = []
    for index, (day, person, role, hours) in enumerate(
        (
            (3, "ana", "senior", "6.5"),
            (8, "luis", "junior", "7"),
            (17, "ana", "senior", "3.25"),
            (22, "luis", "junior", "5.5"),
            (24, "ana", "senior", "0.5"),
        )
    ):
        approved = index != 4  # the last one waits for approval and is not billed
        date = dt.date(year, mon, day).isoformat()
        rows.append((f"{customer}-{month}-t{index + 1}", person, role, date, hours, approved))
    return rows
