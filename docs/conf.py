"""Sphinx configuration of the course site (``make book`` → ``build/html/``).

The pages are the committed notebooks with their committed outputs (MyST-NB, nothing is
re-executed: nbval already checked those outputs) and a front page generated from README.md by
``scripts/make_book.py``, which also copies this folder and the notebooks into one source tree.
Everything a page needs ships with the build: maths is rendered to MathML at build time, the
theme's fonts, icons and scripts are local, and no widget JavaScript is loaded from a CDN.

Settings a maintainer may change (environment variables, read at build time):

``SPECTROGRAM_LAB_REPOSITORY``  the public git repository the launch links open
``SPECTROGRAM_LAB_BRANCH``      its branch (``main``)
``SPECTROGRAM_LAB_BINDER_URL``  the BinderHub (``https://mybinder.org``; empty: no Binder link)
``SPECTROGRAM_LAB_HUB_URL``     your JupyterHub with nbgitpuller, e.g. ``https://hub.example.edu``
                                (empty, the default: no JupyterHub link)
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "_ext"))

REPOSITORY = os.environ.get("SPECTROGRAM_LAB_REPOSITORY", "https://github.com/spectrogram-lab/spectrogram-lab")
BRANCH = os.environ.get("SPECTROGRAM_LAB_BRANCH", "main")
BINDER_URL = os.environ.get("SPECTROGRAM_LAB_BINDER_URL", "https://mybinder.org")
HUB_URL = os.environ.get("SPECTROGRAM_LAB_HUB_URL", "")

# The front page (index) is made from README.md at build time; make_book.py passes its path.
course_readme = os.environ.get("SPECTROGRAM_LAB_README", str(Path(__file__).resolve().parent.parent / "README.md"))
course_repository, course_branch, course_binder_url, course_hub_url = REPOSITORY, BRANCH, BINDER_URL, HUB_URL

project = "Spectrogram Lab"
author = "the Spectrogram Lab contributors"
copyright = "Spectrogram Lab contributors, MIT licence"
language = "en"

extensions = ["myst_nb", "course_site"]
exclude_patterns = ["_build", ".doctrees", "**.ipynb_checkpoints", "jupyter_execute"]
html_static_path = ["_static"]
html_css_files = ["course-site.css"]
html_js_files = [("static-explorer.js", {"defer": "defer"}), ("sidebar-toggles.js", {"defer": "defer"})]

# The notebooks as committed: no execution, widgets shown by their saved picture.
nb_execution_mode = "off"
nb_ipywidgets_js = {}  # the saved widget state would otherwise load require.js and the widget manager from a CDN
nb_mime_priority_overrides = [("html", "application/vnd.jupyter.widget-view+json", None)]
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3

# Maths becomes MathML when the page is built (course_site), so no MathJax is fetched.
html_math_renderer = "mathml"

html_theme = "sphinx_book_theme"
html_title = "Spectrogram Lab"
html_copy_source = True
html_sourcelink_suffix = ""  # "download this notebook" serves the .ipynb itself
html_last_updated_fmt = None
html_show_sphinx = False
html_theme_options = {
    "repository_url": REPOSITORY,
    "repository_branch": BRANCH,
    "path_to_docs": "notebooks",
    "use_download_button": True,
    "use_repository_button": True,
    "use_fullscreen_button": False,
    "home_page_in_toc": True,
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "launch_buttons": {
        "binderhub_url": BINDER_URL,
        "jupyterhub_url": HUB_URL,
        "colab_url": "https://colab.research.google.com",
        "notebook_interface": "jupyterlab",
    },
}

# The static explorers: in each notebook, the first cell that makes an explorer on one of `clips`
# (its name= argument) shows the static explorer instead, starting at these settings.
static_explorers = {
    "02_stft": {"clips": ["speech"], "frame_length": 1024, "frame_step": 256, "scale": "db"},
    "04_visualization": {"clips": ["birds"], "frame_length": 512, "frame_step": 128, "scale": "db"},
    "05_stft_explorer": {"clips": ["tones + clicks", "drums"], "frame_length": 1024, "frame_step": 256, "scale": "db"},
}

# Light or dark follows the reader's system setting until they pick one with the theme button.
html_context = {"default_mode": "auto"}
