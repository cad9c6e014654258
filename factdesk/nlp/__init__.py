"""Claim detection on the laptop: find, score, classify and attribute check-worthy claims, offline.

The only package that imports spaCy, and only inside functions: importing factdesk.nlp loads
nothing; the pipeline and the model load on first use, once per process.
"""

from factdesk.nlp.cli_support import candidate_dict, claim_dict, score_lines
from factdesk.nlp.decide import with_tiers
from factdesk.nlp.detect import (
    DetectProgress,
    classify_sentences,
    describe_span,
    detect_claims,
    detect_many,
    iter_detect,
    preload,
    score_sentences,
)
from factdesk.nlp.masthead import Masthead, read_masthead, with_masthead
from factdesk.nlp.model import threshold
from factdesk.nlp.pipeline import load_pipeline

__all__ = [
    "DetectProgress",
    "Masthead",
    "candidate_dict",
    "claim_dict",
    "classify_sentences",
    "describe_span",
    "detect_claims",
    "detect_many",
    "iter_detect",
    "load_pipeline",
    "preload",
    "read_masthead",
    "score_lines",
    "score_sentences",
    "threshold",
    "with_masthead",
    "with_tiers",
]
