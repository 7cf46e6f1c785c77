"""Register, edit, list and remove organisations."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, fields

import duckdb

from staymobil_core.database import now, transaction
from staymobil_core.errors import (
    DuplicateOrganisationError,
    InvalidInputError,
    NotFoundError,
)

ORGANISATION_TYPES = ("sending", "receiving", "intermediary")
ORGANISATION_SIZES = (
    "micro (under 10 staff)",
    "small (10-49 staff)",
    "medium (50-249 staff)",
    "large (250 staff or more)",
)
MAX_TEXT = 200
# EU member states and the third countries associated to Erasmus+ (2021-2027),
# then "Other" for partner countries; any non-empty country text is accepted.
COUNTRIES = (
    "Austria",
    "Belgium",
    "Bulgaria",
    "Croatia",
    "Cyprus",
    "Czechia",
    "Denmark",
    "Estonia",
    "Finland",
    "France",
    "Germany",
    "Greece",
    "Hungary",
    "Iceland",
    "Ireland",
    "Italy",
    "Latvia",
    "Liechtenstein",
    "Lithuania",
    "Luxembourg",
    "Malta",
    "Netherlands",
    "North Macedonia",
    "Norway",
    "Poland",
    "Portugal",
    "Romania",
    "Serbia",
    "Slovakia",
    "Slovenia",
    "Spain",
    "Sweden",
    "Türkiye",
    "Other",
)


@dataclass(frozen=True, slots=True)
class Organisation:
    organisation_id: int
    name: str
    country: str
    organisation_type: str
    size: str
    contact_person: str
    contact_email: str
    is_example: bool


_COLUMNS = ", ".join(f.name for f in fields(Organisation))


@dataclass(frozen=True, slots=True)
class OrganisationDetails:
    """The fields a user enters to register or edit an organisation."""

    name: str
    country: str
    organisation_type: str
    size: str
    contact_person: str = ""
    contact_email: str = ""


def create_organisation(
    con: duckdb.DuckDBPyConnection,
    details: OrganisationDetails,
    is_example: bool = False,
) -> int:
    """Validate and store a new organisation; return its id."""
    with transaction(con) as cur:
        return insert_organisation(cur, details, is_example)


def insert_organisation(
    cur: duckdb.DuckDBPyConnection, details: OrganisationDetails, is_example: bool
) -> int:
    """Validate and insert an organisation inside the caller's transaction."""
    clean = _validated(details)
    _reject_duplicate_name(cur, clean.name, organisation_id=None)
    stamp = now()
    return cur.execute(
        "INSERT INTO organisations (name, name_key, country, organisation_type, "
        "size, contact_person, contact_email, is_example, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING organisation_id",
        [
            clean.name,
            name_key(clean.name),
            clean.country,
            clean.organisation_type,
            clean.size,
            clean.contact_person,
            clean.contact_email,
            is_example,
            stamp,
            stamp,
        ],
    ).fetchone()[0]


def update_organisation(
    con: duckdb.DuckDBPyConnection, organisation_id: int, details: OrganisationDetails
) -> None:
    """Validate and store new details for an existing organisation."""
    clean = _validated(details)
    with transaction(con) as cur:
        get_organisation(cur, organisation_id)
        _reject_duplicate_name(cur, clean.name, organisation_id=organisation_id)
        cur.execute(
            "UPDATE organisations SET name = ?, name_key = ?, country = ?, "
            "organisation_type = ?, size = ?, contact_person = ?, contact_email = ?, "
            "updated_at = ? WHERE organisation_id = ?",
            [
                clean.name,
                name_key(clean.name),
                clean.country,
                clean.organisation_type,
                clean.size,
                clean.contact_person,
                clean.contact_email,
                now(),
                organisation_id,
            ],
        )


def get_organisation(
    con: duckdb.DuckDBPyConnection, organisation_id: int
) -> Organisation:
    row = con.execute(
        f"SELECT {_COLUMNS} FROM organisations WHERE organisation_id = ?",
        [organisation_id],
    ).fetchone()
    if row is None:
        raise NotFoundError(
            f"Organisation {organisation_id} does not exist. Pick one from the list "
            "in the sidebar."
        )
    return Organisation(*row)


def list_organisations(con: duckdb.DuckDBPyConnection) -> list[Organisation]:
    rows = con.execute(
        f"SELECT {_COLUMNS} FROM organisations ORDER BY lower(name), organisation_id"
    ).fetchall()
    return [Organisation(*row) for row in rows]


def delete_organisation(con: duckdb.DuckDBPyConnection, organisation_id: int) -> None:
    """Remove an organisation with all its audits, team members and answers."""
    with transaction(con) as cur:
        get_organisation(cur, organisation_id)
        delete_organisations_where(cur, "organisation_id = ?", [organisation_id])


def delete_organisations_where(
    cur: duckdb.DuckDBPyConnection, condition: str, parameters: list
) -> None:
    """Delete matching organisations and everything that belongs to them.

    Runs inside the caller's transaction. `condition` is a fixed SQL fragment
    over the organisations table, never user text.
    """
    audits = (
        "SELECT audit_id FROM audits WHERE organisation_id IN "
        f"(SELECT organisation_id FROM organisations WHERE {condition})"
    )
    cur.execute(f"DELETE FROM answers WHERE audit_id IN ({audits})", parameters)
    cur.execute(f"DELETE FROM audit_members WHERE audit_id IN ({audits})", parameters)
    cur.execute(
        "DELETE FROM audits WHERE organisation_id IN "
        f"(SELECT organisation_id FROM organisations WHERE {condition})",
        parameters,
    )
    cur.execute(f"DELETE FROM organisations WHERE {condition}", parameters)


def name_key(name: str) -> str:
    """Fold case, spaces and Unicode forms so 'Acme  VET' and 'acme vet' collide."""
    folded = unicodedata.normalize("NFKC", clean_text(name)).casefold()
    return re.sub(r"\s+", " ", folded).strip()


def clean_text(value: str) -> str:
    """Return text in NFC form, without control or invisible format characters.

    Zero-width spaces and direction overrides would make two names that look
    the same count as different, or a name that looks empty count as given.
    """
    value = unicodedata.normalize("NFC", value or "")
    value = "".join(
        c for c in value if unicodedata.category(c) not in ("Cc", "Cf") or c.isspace()
    )
    return re.sub(r"\s+", " ", value).strip()


def _reject_duplicate_name(
    cur: duckdb.DuckDBPyConnection, name: str, organisation_id: int | None
) -> None:
    row = cur.execute(
        "SELECT organisation_id, name FROM organisations WHERE name_key = ?",
        [name_key(name)],
    ).fetchone()
    if row is not None and row[0] != organisation_id:
        raise DuplicateOrganisationError(
            f"An organisation named '{row[1]}' is already registered. Choose a "
            f"different name for '{name}', or select the existing organisation in "
            "the sidebar."
        )


def _validated(details: OrganisationDetails) -> OrganisationDetails:
    def text(field: str, value: str, required: bool, verb: str = "Enter") -> str:
        value = clean_text(value)
        if required and not value:
            raise InvalidInputError(
                f"Organisation {field} is empty. {verb} the {field}."
            )
        if len(value) > MAX_TEXT:
            raise InvalidInputError(
                f"Organisation {field} '{value[:40]}...' is {len(value)} characters "
                f"long; at most {MAX_TEXT} are allowed. Shorten it."
            )
        return value

    if details.organisation_type not in ORGANISATION_TYPES:
        raise InvalidInputError(
            f"Organisation type '{details.organisation_type}' is not allowed. Choose "
            f"one of: {', '.join(ORGANISATION_TYPES)}."
        )
    email = text("contact e-mail", details.contact_email, required=False)
    if email and not re.fullmatch(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+", email):
        raise InvalidInputError(
            f"Contact e-mail '{email}' is not an e-mail address. Enter it as "
            "name@example.org, or leave it empty."
        )
    return OrganisationDetails(
        name=text("name", details.name, required=True),
        country=text("country", details.country, required=True, verb="Choose"),
        organisation_type=details.organisation_type,
        size=text("size", details.size, required=True, verb="Choose"),
        contact_person=text("contact person", details.contact_person, required=False),
        contact_email=email,
    )
