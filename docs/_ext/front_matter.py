"""The site's front page, made from README.md when the site is built (so it never goes stale).

It keeps what a first-time reader needs: the title and opening paragraphs (what the course is,
who it is for), the "Two commands" section and the notebook table, plus launch links and the
table of contents. Links into the repository are rewritten: notebooks to their pages, other files
to the repository's web view.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

SECTIONS = ("Two commands", "Notebooks")
LINK = re.compile(r"\]\((?!https?://|mailto:|#)([^)\s]+)\)")


def split_sections(readme: str) -> tuple[str, dict[str, str]]:
    """README text → (text before the first ``##`` heading, {heading: section text without it})."""
    parts = re.split(r"^## +(.+?)\s*$", readme, flags=re.M)
    return parts[0], {title: body for title, body in zip(parts[1::2], parts[2::2], strict=True)}


def rewrite_links(text: str, repository: str, branch: str) -> str:
    """``notebooks/X.ipynb`` → ``X.ipynb`` (the page); any other relative link → the repository."""

    def fix(match: re.Match) -> str:
        target = match.group(1)
        if target.startswith("notebooks/") and target.endswith(".ipynb"):
            return f"]({target.removeprefix('notebooks/')})"
        return f"]({repository.rstrip('/')}/blob/{branch}/{target})"

    return LINK.sub(fix, text)


def launch_links(
    repository: str, branch: str, binder_url: str, hub_url: str, notebook: str = "notebooks/00_setup.ipynb"
) -> list[tuple[str, str]]:
    """(label, URL) for opening the course online: Binder, and a JupyterHub through nbgitpuller."""
    links = []
    repo = repository.rstrip("/")
    match = re.fullmatch(r"https://github\.com/([^/]+)/([^/]+?)(?:\.git)?", repo)
    if binder_url:
        spec = f"gh/{match.group(1)}/{match.group(2)}" if match else f"git/{quote(repo, safe='')}"
        links.append(("Binder", f"{binder_url.rstrip('/')}/v2/{spec}/{branch}?urlpath=lab/tree/{notebook}"))
    if hub_url:
        name = repo.rsplit("/", 1)[-1].removesuffix(".git")
        query = urlencode({"repo": repo, "urlpath": f"lab/tree/{name}/{notebook}", "branch": branch}, safe="/")
        links.append(("JupyterHub", f"{hub_url.rstrip('/')}/hub/user-redirect/git-pull?{query}"))
    return links


def get_the_code(repository: str, branch: str) -> str:
    """The front page's "Get the code" section: clone, then the README's two commands."""
    repo = repository.rstrip("/")
    folder = repo.rsplit("/", 1)[-1].removesuffix(".git")
    branch_arg = "" if branch == "main" else f" --branch {branch}"
    return (
        f"## Get the code\n\nThe course lives in the git repository [{repo}]({repo}). To run it on your "
        "computer (Python 3.11 or newer, `make`, and access to PyPI):\n\n"
        f"```bash\ngit clone{branch_arg} {repo}\ncd {folder}\n"
        "make lab    # set up .venv (first time: a few minutes) and open JupyterLab on notebooks/\n"
        "make test   # optional: run the unit tests and re-run every notebook\n```\n\n"
        "Each page's download button gives its single `.ipynb`; its code imports the course's "
        "`helpers` package from the repository, so clone it rather than download pages one by one."
    )


def front_matter(
    readme: str, notebooks: list[str], *, repository: str, branch: str, binder_url: str = "", hub_url: str = ""
) -> str:
    """The front page's MyST Markdown.

    Parameters
    ----------
    readme : str
        The text of README.md.
    notebooks : list of str
        Document names of the notebook pages, in course order (``["00_setup", ...]``).
    repository, branch, binder_url, hub_url : str
        Where the launch links point (the site's settings; empty URLs leave their link out).

    Raises
    ------
    ValueError
        When README.md lacks a title or one of the sections the front page is made from.
    """
    intro, sections = split_sections(readme)
    missing = [s for s in SECTIONS if s not in sections]
    if not intro.lstrip().startswith("# ") or missing:
        raise ValueError(
            f"README.md needs a '# title' and the sections {list(SECTIONS)}; "
            f"missing: {missing or ['# title']}. The site's front page is made from them."
        )
    parts = [
        intro.strip(),
        "## Read it here, or run it",
        "Every notebook of the course is a page of this site, with the outputs it produced when it "
        "was last checked: figures, printed numbers and audio players. Each page has a download "
        "button for its `.ipynb` and a launch button that opens it in a live Jupyter session.",
    ]
    parts.append(
        "The STFT explorers of [02](notebooks/02_stft.ipynb), [04](notebooks/04_visualization.ipynb) and "
        "[05](notebooks/05_stft_explorer.ipynb) work right here, without Python: their sliders and menus swap "
        "pictures made in advance. Sound, other windows and colour maps, zoom and your own recordings "
        "need the notebook itself, online or on your computer."
    )
    links = launch_links(repository, branch, binder_url, hub_url)
    if links:
        parts.append(
            "Start with the set-up notebook online: " + " · ".join(f"[{label}]({url})" for label, url in links) + "."
        )
    parts.append(get_the_code(repository, branch))
    parts += [f"## {s}\n\n{sections[s].strip()}" for s in SECTIONS]
    toctree = "\n".join(notebooks)
    parts.append(f"```{{toctree}}\n:hidden:\n:caption: Notebooks\n\n{toctree}\n```")
    return rewrite_links("\n\n".join(parts), repository, branch) + "\n"
