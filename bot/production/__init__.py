"""Production: what leaves the writers' room for a shoot (screenplays, boards, pictures, storyboards...)."""
