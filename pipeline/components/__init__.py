"""The spaCy components of the minutes pipeline, registered as factories through entry points (pyproject.toml).

In pipeline order: `minutes_sections` (sections and meeting metadata, before the NER), `minutes_normalise`
(`entity_normaliser.py`: entity norms and metric attributes) and `minutes_relations` (`relation_extractor.py`:
relations and attendance). Each factory declares what it `requires` and `assigns`; the Doc attributes
themselves are registered in `pipeline._extensions`.
"""
