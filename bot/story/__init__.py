"""Story truth: what is true and known as of each episode (progressions, sentence-exact as-of,
the who-knows-what ledger, character state, and the continuity lint that needs no model)."""
