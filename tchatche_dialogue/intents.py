"""Names of the intents the readings of tchatche_dialogue/ test against (data/nlu/)."""

NOT_UNDERSTOOD = "nlu_fallback"
GREETING = "saluer"
# Answers to the assistant's own question: their reading stands whatever else they say.
KEPT = frozenset({"affirmer", "nier", "remercier", "au_revoir"})
