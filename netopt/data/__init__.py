"""Input: the instance format (`schema`), folders (`instance`), table checks
(`validation`), the validated `Network` (`network`) and synthetic networks (`generate`).

The lowest layer: it imports nothing of netopt but `errors` and `_files`.
"""

#: The instance `netopt.load()` and the CLI use when none is named.
DEFAULT_INSTANCE = "china-edwc"
