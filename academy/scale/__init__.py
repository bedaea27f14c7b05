"""Generated data at scale: ``flask --app academy demo generate --size S|M|XL --seed N``."""
