"""One cog per feature; each module has ``async def setup(bot)``."""

EXTENSIONS = ["projects", "canon", "ask", "story", "scenes", "twists", "storyboard", "promo", "localize", "production",
              "adapt", "season", "help"]
