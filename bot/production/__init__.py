"""Production: from canon and scripts to screen. Look sheets, storyboards, frames and contact sheets.

Reads canon only through the facade's as-of view (``CanonView`` plus the lookups in ``scene.py``), so
nothing past the episode a storyboard is for can reach a shot, a prompt or an image.
"""
