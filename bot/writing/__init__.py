"""Everything that talks to a language model. Canon arrives through the facade's CanonView."""
