"""minutes_normalise component (work in progress: replaced by the full component in the relations/normalisation work)."""

from spacy.language import Language


class _PassThrough:
    def __init__(self, nlp, name):
        self.name = name

    def __call__(self, doc):
        return doc


@Language.factory("minutes_normalise")
def make_normalise(nlp, name):
    return _PassThrough(nlp, name)
