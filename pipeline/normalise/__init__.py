"""Pure normalisation functions for entity mentions (no spaCy needed).

* :func:`normalise_date` - DATE text -> ISO day / month / year / ``start..end`` period.
* :func:`parse_metric` - METRIC text (+ context) -> :class:`MetricValue` (value, unit, per, approximate).
* :func:`canonical_person`, :func:`person_key`, :func:`initials_key` - PERSON names and matching keys.
* :func:`find_acronym_definitions`, :func:`expand_acronym` - ORG acronyms from brackets and glossaries.
* :func:`normalise_role` - ROLE text, tidied and consistently cased.

None of them raises on arbitrary text; the ``minutes_normalise`` spaCy component calls them.
"""

from .dates import PERIOD_RE, normalise_date, period_bounds
from .names import canonical_person, initials_key, person_key
from .numbers import UNITS, MetricValue, parse_metric
from .orgs import expand_acronym, find_acronym_definitions
from .roles import normalise_role

__all__ = [
    "PERIOD_RE",
    "UNITS",
    "MetricValue",
    "canonical_person",
    "expand_acronym",
    "find_acronym_definitions",
    "initials_key",
    "normalise_date",
    "normalise_role",
    "parse_metric",
    "period_bounds",
    "person_key",
]
