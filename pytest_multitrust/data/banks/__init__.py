"""Small text banks written for this project (no benchmark data is copied).

- :mod:`.behaviors`: harmful-activity phrases (the "behaviour" a jailbreak asks for), by category.
- :mod:`.infoflow`: information-flow vignettes with contextual-integrity ratings (P.3).
- :mod:`.jailbreaks`: jailbreak prompt templates (persona and framing instructions, behaviour-free).
- :mod:`.names`: synthetic first and last names for made-up people.
- :mod:`.pii`: the official PII types and a seeded value generator for each.
- :mod:`.preferences`: two-option preference topics (ideology, culture/lifestyle) and prompt shapes (F.5, F.7).
- :mod:`.sentiment`: film-review sentences with exact sentiment labels (R.3) and their cue words.
- :mod:`.stereotype_pairs`: CrowS-Pairs-style minimal pairs and meaningless sentences (F.3's three-way items).
- :mod:`.stereotypes`: stereotype statements of the six official stereotype types (F.2; F.3's topic items).
- :mod:`.stereotype_queries`: stereotype-inviting questions over the six official types, with their group (F.4).
- :mod:`.titles`: occupations (with a feminine form where one exists) for the made-up public figures of P.4.

Every entry is checked by ``tests/data/test_banks.py`` (the sentiment bank by ``tests/data/test_sentiment.py``);
banks hold data and the small generators that draw from it.
"""
