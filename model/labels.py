"""The label schema (`shared/spec/schema.md`) as data, and the BIO tag sets built from it."""
from __future__ import annotations

ENTITY_TYPES = ("ORG", "LOC", "PER", "QUANTITY", "MONEY", "PERCENT", "DATE")
NUMERIC_TYPES = ("QUANTITY", "MONEY", "PERCENT", "DATE")
EVENT_TYPES = ("OPERATION", "KILL", "ARREST", "DESTROY", "SEIZE")
ROLES = ("AGENT", "TARGET", "LOCATION", "TIME", "QUANTITY")
RELATIONS = ("PARTNER_OF", "PART_OF", "LOCATED_IN", "AFFILIATED_WITH")
SYMMETRIC_RELATIONS = frozenset({"PARTNER_OF"})
NONE = "NONE"
IGNORE = -100  # label of a position the loss skips (later subwords, context words, padding)
NAME_TYPES = ("ORG", "LOC", "PER")
# Public NER schemes' names for rasid's name types (ANERcorp PERS, Wojood GPE: countries and cities are LOC in
# rasid's guidelines); their other types (MISC, NORP, FAC, ...) have no rasid counterpart.
PUBLIC_NAME_TYPES = {"PER": "PER", "PERS": "PER", "LOC": "LOC", "GPE": "LOC", "ORG": "ORG"}

ROLE_FILLERS: dict[str, frozenset[str]] = {
    "AGENT": frozenset({"ORG", "PER", "LOC"}),
    "TARGET": frozenset({"ORG", "PER", "LOC"}),
    "LOCATION": frozenset({"LOC"}),
    "TIME": frozenset({"DATE"}),
    "QUANTITY": frozenset({"QUANTITY"}),
}
RELATION_ENDS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "PARTNER_OF": (frozenset({"ORG", "LOC"}), frozenset({"ORG", "LOC"})),
    "PART_OF": (frozenset({"ORG"}), frozenset({"ORG"})),
    "LOCATED_IN": (frozenset({"LOC", "ORG"}), frozenset({"LOC"})),
    "AFFILIATED_WITH": (frozenset({"PER"}), frozenset({"ORG"})),
}


def bio_tags(types: tuple[str, ...] | list[str]) -> list[str]:
    """`O` then B-/I- for every type, in a stable order (the label ids a model is trained with)."""
    return ["O"] + [f"{p}-{t}" for t in types for p in ("B", "I")]


def public_name_tag(tag: str, keep_others: bool = False) -> str:
    """A public NER set's BIO tag in rasid's name types; a tag of another type becomes O (scoring) or stays as
    it is (`keep_others`: training skips such words rather than calling them "not a name")."""
    typ = PUBLIC_NAME_TYPES.get(tag[2:]) if tag[:2] in ("B-", "I-") else None
    if typ:
        return f"{tag[:2]}{typ}"
    return tag if keep_others else "O"


# Links are annotated between mentions in the same or the next sentence (GUIDELINES 3, 4 and 7); pairs further
# apart are neither trained as "no link" nor predicted.
MAX_LINK_SENTENCES = 1


def argument_candidate(entity_type: str) -> bool:
    """Whether an entity of this type can fill any role (pairs that cannot are never scored)."""
    return any(entity_type in fillers for fillers in ROLE_FILLERS.values())


def relation_candidate(head_type: str, tail_type: str) -> bool:
    """Whether some relation type allows this ordered pair of entity types."""
    return any(head_type in heads and tail_type in tails for heads, tails in RELATION_ENDS.values())

# How much text before a numeric span callers give `rasid.numbers.normalize` (`preceding`): enough for «منذ».
PRECEDING_CHARS = 40
# How much text after a count callers give it (`following`): enough for a partitive «من عناصر التنظيم».
FOLLOWING_CHARS = 40
