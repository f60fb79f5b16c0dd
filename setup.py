"""The generated interaction models and the MP3s live at the top of the checkout, beside
their sources (interaction_models/, audio/); a wheel carries them inside the package, where
skill/shipped.py finds them. Everything else about the build is in pyproject.toml."""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
# Folder inside the package: (folder in the checkout, files).
COPIED = {"interaction_models": ("interaction_models", "*.json"), "sounds": ("audio", "*.mp3")}


class BuildPy(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads the checkout itself
            return
        for inside, (folder, pattern) in COPIED.items():
            target = Path(self.build_lib) / "skill" / inside
            target.mkdir(parents=True, exist_ok=True)
            for path in sorted((ROOT / folder).glob(pattern)):
                self.copy_file(str(path), str(target / path.name))


setup(cmdclass={"build_py": BuildPy})
