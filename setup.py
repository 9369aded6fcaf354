"""Ship the built-in instances inside the package when building a wheel.

The instance folders live at the top of the repository (``instances/``) where planners
read and edit them; a source checkout finds them there. A wheel has no such folder, so
the build copies them to ``netopt/instances``, the second place ``netopt.instance``
looks. Everything else is configured in ``pyproject.toml``.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithInstances(build_py):
    instances = Path(__file__).parent / "instances"

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads instances/ from the checkout
        dest = Path(self.build_lib) / "netopt" / "instances"
        if self.instances.is_dir():
            shutil.rmtree(dest, ignore_errors=True)
            shutil.copytree(self.instances, dest,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


if __name__ == "__main__":  # setuptools runs this file as __main__; tests import it
    setup(cmdclass={"build_py": BuildWithInstances})
