"""Check that the lock files still answer pyproject.toml.

requirements.txt must pin every runtime dependency, and requirements-dev.txt every runtime and
development dependency, at a version that pyproject.toml allows; the two must agree on every
package they share. Prints what is wrong and exits 1, so `make lint` and `make test` fail when
pyproject.toml was changed without `make lock`.
"""

import re
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;\\]+)")


def read_pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        match = PIN.match(line)
        if match:
            pins[canonicalize_name(match["name"])] = match["version"]
    return pins


def problems_with(lock: Path, requirements: list[Requirement], extra: str) -> list[str]:
    pins = read_pins(lock)
    problems = []
    for requirement in requirements:
        if requirement.marker and not requirement.marker.evaluate({"extra": extra}):
            continue
        name, version = requirement.name, pins.get(canonicalize_name(requirement.name))
        if version is None:
            problems.append(f"{lock.name} does not pin {name} (pyproject.toml: {requirement})")
        elif not requirement.specifier.contains(version, prereleases=True):
            problems.append(f"{lock.name} pins {name}=={version}; pyproject.toml asks for {requirement}")
    return problems


def main() -> int:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = [Requirement(line) for line in project["dependencies"]]
    dev = [Requirement(line) for line in project["optional-dependencies"]["dev"]]
    lock, lock_dev = ROOT / "requirements.txt", ROOT / "requirements-dev.txt"

    problems = problems_with(lock, runtime, "") + problems_with(lock_dev, runtime + dev, "dev")
    dev_pins = read_pins(lock_dev)
    for name, version in sorted(read_pins(lock).items()):
        if dev_pins.get(name) != version:
            problems.append(
                f"{lock.name} pins {name}=={version} but {lock_dev.name} "
                f"{'pins ' + dev_pins[name] if name in dev_pins else 'does not have it'}"
            )

    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print("The lock files are out of date: run `make lock` and commit them.", file=sys.stderr)
        return 1
    print(f"{lock.name} and {lock_dev.name} pin what pyproject.toml asks for.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
