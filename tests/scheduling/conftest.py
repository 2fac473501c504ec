import os
import shutil

import pytest

ICALJS_VAR = "MENTORKIT_ICALJS_DIR"


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def icaljs():
    """(node, dir): Node and a folder whose node_modules holds ical.js; CI fails without."""
    folder = os.environ.get(ICALJS_VAR)
    node = shutil.which("node")
    why = None
    if node is None:
        why = "Node.js is not installed"
    elif not folder:
        why = f"set {ICALJS_VAR} to a folder where `npm install ical.js` ran (.ci/run does)"
    elif not os.path.isfile(os.path.join(folder, "node_modules", "ical.js", "package.json")):
        why = f"{ICALJS_VAR}={folder} has no node_modules/ical.js"
    if why is not None:
        if _in_ci():
            pytest.fail(f"CI=true but no ical.js: {why}", pytrace=False)
        pytest.skip(why)
    return node, folder
