#!/usr/bin/env python3
"""The Dockerfile, checked without a Docker engine: the build stage runs scripts/setup (the
very commands developers and CI run), the runtime stage is debian:12-slim installing
exactly the Debian packages of the shared libraries build/kpi needs, and the image is a
non-root one-shot with ENTRYPOINT ["kpi"] and its spool under /var/lib/kpi.

    python3 tests/deploy/check_dockerfile.py SOURCE_DIR KPI_BINARY
"""
import json
import os
import re
import shlex
import subprocess
import sys
import unittest

ROOT = sys.argv.pop(1) if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
KPI = sys.argv.pop(1) if len(sys.argv) > 1 else os.path.join(ROOT, "build", "kpi")
# Not a library: the trust store that TLS verification of the services needs.
NOT_LIBRARIES = {"ca-certificates"}


def instructions():
    """(instruction, arguments) of the Dockerfile, continuation lines joined, comments dropped."""
    with open(os.path.join(ROOT, "Dockerfile"), encoding="utf-8") as f:
        text = f.read()
    lines = [l for l in text.splitlines() if not l.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    out = []
    for line in joined.splitlines():
        if line.strip():
            word, _, rest = line.strip().partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def stages():
    result = []
    for word, rest in instructions():
        if word == "FROM":
            result.append({"from": rest, "steps": []})
        else:
            result[-1]["steps"].append((word, rest))
    return result


def apt_installed(stage):
    packages = []
    for word, rest in stage["steps"]:
        if word != "RUN":
            continue
        for command in re.split(r"&&|;", rest):
            tokens = shlex.split(command)
            if "apt-get" in tokens and "install" in tokens:
                packages += [t for t in tokens[tokens.index("install") + 1:] if not t.startswith("-")]
    return packages


def library_variants(path):
    """The names dpkg may know a library by (usrmerge: /lib and /usr/lib are one)."""
    variants = {path, os.path.realpath(path)}
    for p in list(variants):
        variants.add(p[len("/usr"):] if p.startswith("/usr/lib/") else "/usr" + p if p.startswith("/lib/") else p)
    return variants


def packages_of(paths):
    """path -> the Debian package that ships it, for every path (one dpkg -S for all)."""
    every = sorted({v for p in paths for v in library_variants(p)})
    out = subprocess.run(["dpkg", "-S"] + every, capture_output=True, text=True).stdout
    owner = {}
    for line in out.splitlines():
        package, _, shipped = line.partition(": ")
        owner[shipped.strip()] = package.split(":")[0]
    result = {}
    for p in paths:
        found = [owner[v] for v in library_variants(p) if v in owner]
        assert found, f"no Debian package ships {p}"
        result[p] = found[0]
    return result


def ldd_paths():
    """soname -> path, for every library ldd resolves for build/kpi."""
    out = subprocess.run(["ldd", KPI], capture_output=True, text=True, check=True).stdout
    paths = {}
    for line in out.splitlines():
        m = re.match(r"\s*(\S+) => (/\S+)", line)
        if m:
            paths[m.group(1)] = m.group(2)
        else:
            m = re.match(r"\s*(/\S+) \(0x", line)  # the dynamic loader
            if m:
                paths[os.path.basename(m.group(1))] = m.group(1)
    return paths


def needed():
    out = subprocess.run(["readelf", "-d", KPI], capture_output=True, text=True, check=True).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]", out)


def dlopened():
    """soname -> path of the libraries kpi loads on first use (lib/http/curl_loader.cpp), which
    readelf and ldd do not see: the runtime stage must install them all the same."""
    with open(os.path.join(ROOT, "lib", "http", "curl_loader.cpp"), encoding="utf-8") as f:
        sonames = re.findall(r'kLibcurl = "(.+?)"', f.read())
    cache = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=True).stdout
    paths = {}
    for soname in sonames:
        m = re.search(r"^\s*" + re.escape(soname) + r" \(libc6,x86-64\) => (\S+)$", cache, re.M)
        assert m, f"ldconfig knows no {soname}"
        paths[soname] = m.group(1)
    return paths


def depends_closure(packages):
    """The packages apt installs with these: their Depends and Pre-Depends, recursively."""
    out = subprocess.run(["dpkg-query", "-W", "-f=${Package}\t${Status}\t${Depends},${Pre-Depends}\n"],
                         capture_output=True, text=True, check=True).stdout
    depends, installed = {}, set()
    for line in out.splitlines():
        name, status, deps = (line.split("\t") + ["", ""])[:3]
        depends[name] = deps
        if status.endswith(" installed"):
            installed.add(name)
    seen, todo = set(), list(packages)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for clause in depends.get(name, "").split(","):
            alternatives = [a.strip().split(" ")[0].split(":")[0] for a in clause.split("|") if a.strip()]
            todo.extend([a for a in alternatives if a in installed][:1])
    return seen


class Dockerfile(unittest.TestCase):
    def test_two_stages_on_debian_12(self):
        s = stages()
        self.assertEqual(len(s), 2)
        self.assertRegex(s[0]["from"], r"^debian:12 AS build$")
        self.assertEqual(s[1]["from"], "debian:12-slim")

    def test_the_build_stage_runs_scripts_setup(self):
        build = stages()[0]
        runs = [rest for word, rest in build["steps"] if word == "RUN"]
        self.assertTrue(runs and shlex.split(runs[0])[0] == "scripts/setup", runs)
        # Its packages are scripts/setup's, not a second list to keep in step.
        self.assertEqual(apt_installed(build), [])
        copied = [rest for word, rest in build["steps"] if word == "COPY"]
        self.assertIn(". .", copied)
        with open(os.path.join(ROOT, ".dockerignore"), encoding="utf-8") as f:
            self.assertIn("build", f.read().split())

    def test_the_runtime_stage_installs_exactly_the_libraries_kpi_needs(self):
        runtime = stages()[1]
        installed = set(apt_installed(runtime)) - NOT_LIBRARIES
        loaded = dlopened()
        paths = {**ldd_paths(), **loaded}
        owner = packages_of(paths.values())
        direct = {owner[paths[soname]] for soname in needed() + list(loaded)}
        self.assertEqual(installed, direct)
        # Every library ldd names comes with them (their Depends), nothing is left to chance.
        closure = depends_closure(installed)
        for soname, path in paths.items():
            self.assertIn(owner[path], closure, soname)
        self.assertNotIn("build-essential", apt_installed(runtime))

    def test_a_non_root_one_shot_with_its_spool_under_var_lib_kpi(self):
        steps = stages()[1]["steps"]
        words = [w for w, _ in steps]
        self.assertNotIn("HEALTHCHECK", words)
        entrypoints = [rest for w, rest in steps if w == "ENTRYPOINT"]
        self.assertEqual([json.loads(e) for e in entrypoints], [["kpi"]])
        user = [rest for w, rest in steps if w == "USER"][-1]
        uid = user.split(":")[0]
        self.assertTrue(uid.isdigit() and int(uid) > 0, user)
        env = " ".join(rest for w, rest in steps if w == "ENV")
        self.assertIn("XDG_STATE_HOME=/var/lib", env)  # the spool is $XDG_STATE_HOME/kpi/spool
        volumes = [json.loads(rest) for w, rest in steps if w == "VOLUME"]
        self.assertIn(["/var/lib/kpi"], volumes)
        copied = [rest for w, rest in steps if w == "COPY"]
        self.assertIn("--from=build /opt/kpi/bin/kpi /usr/local/bin/kpi", copied)


if __name__ == "__main__":
    unittest.main(verbosity=2)
