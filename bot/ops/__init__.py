"""Operating a room's data: backups and restores (what an operator runs, not what a writer asks)."""
