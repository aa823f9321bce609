"""JSON columns are written by orjson: the same values come back as the standard
library's encoder gave them, Arabic is kept as written, and integer keys become
strings as they always did."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from sijill.store import jsoncodec

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.text()
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(st.text(max_size=10), inner, max_size=5)
    ),
    max_leaves=30,
)


@given(_VALUES)
def test_a_value_reads_back_as_the_standard_encoder_wrote_it(value: Any) -> None:
    written = jsoncodec.dumps(value)
    assert jsoncodec.loads(written) == json.loads(json.dumps(value)) == value
    assert jsoncodec.loads(written.encode()) == value  # as psycopg hands it over


def test_arabic_is_kept_as_written_and_integer_keys_become_strings() -> None:
    declaration = {"father_name": "محمد الأندلسي", 3: "ثلاثة"}
    written = jsoncodec.dumps(declaration)
    assert "محمد الأندلسي" in written and "\\u" not in written
    assert jsoncodec.loads(written) == {"father_name": "محمد الأندلسي", "3": "ثلاثة"}
    assert jsoncodec.loads(written) == json.loads(
        json.dumps(declaration, ensure_ascii=False)
    )
