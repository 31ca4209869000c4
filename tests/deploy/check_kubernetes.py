#!/usr/bin/env python3
"""deploy/kubernetes/ survives review: every manifest parses (python3-yaml), the CronJob
has the fields a reviewer asks for, and no secret is ever a literal or an argument.

    python3 tests/deploy/check_kubernetes.py SOURCE_DIR [KPI_BINARY]
"""
import os
import re
import subprocess
import sys
import tomllib
import unittest

import yaml

ROOT = sys.argv.pop(1) if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..")
KPI = sys.argv.pop(1) if len(sys.argv) > 1 else os.path.join(ROOT, "build", "kpi")
DEPLOY = os.path.join(ROOT, "deploy", "kubernetes")
SECRET_WORDS = re.compile(r"(key|token|password|passwd|secret|credential)", re.IGNORECASE)
SECRET_MOUNT = "/run/secrets/kpi"


def load_all(name):
    with open(os.path.join(DEPLOY, name), encoding="utf-8") as f:
        return [doc for doc in yaml.safe_load_all(f) if doc is not None]


def kustomization():
    return load_all("kustomization.yaml")[0]


def manifests():
    docs = []
    for name in kustomization()["resources"]:
        docs.extend(load_all(name))
    return docs


def one(kind):
    found = [d for d in manifests() if d.get("kind") == kind]
    assert len(found) == 1, f"expected one {kind}, found {len(found)}"
    return found[0]


def walk(node, path=""):
    """Every (path, scalar) of a document."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from walk(v, f"{path}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from walk(v, f"{path}[{i}]")
    else:
        yield path, node


class Manifests(unittest.TestCase):
    def test_every_file_parses_and_is_listed(self):
        listed = set(kustomization()["resources"])
        yaml_files = {f for f in os.listdir(DEPLOY) if f.endswith(".yaml") and f != "kustomization.yaml"}
        self.assertEqual(listed, yaml_files)
        for doc in manifests():
            self.assertIn("apiVersion", doc)
            self.assertIn("kind", doc)
            self.assertIn("name", doc["metadata"])
        self.assertFalse(os.path.exists(os.path.join(ROOT, "deploy", "cronjob.yaml")), "replaced by deploy/kubernetes")

    def test_cronjob_schedule_and_job_limits(self):
        cron = one("CronJob")
        self.assertEqual(cron["apiVersion"], "batch/v1")
        spec = cron["spec"]
        self.assertEqual(spec["concurrencyPolicy"], "Forbid")
        self.assertIsInstance(spec["startingDeadlineSeconds"], int)
        self.assertGreater(spec["startingDeadlineSeconds"], 0)
        job = spec["jobTemplate"]["spec"]
        for field in ("activeDeadlineSeconds", "backoffLimit", "ttlSecondsAfterFinished"):
            self.assertIsInstance(job[field], int, field)
            self.assertGreaterEqual(job[field], 0, field)
        self.assertGreater(job["activeDeadlineSeconds"], 0)
        # terminationGracePeriodSeconds fits inside the deadline, so SIGTERM lets kpi spool.
        pod = job["template"]["spec"]
        self.assertLess(pod["terminationGracePeriodSeconds"], job["activeDeadlineSeconds"])
        self.assertEqual(pod["restartPolicy"], "Never")

    def test_shards_match_the_indexed_job(self):
        job = one("CronJob")["spec"]["jobTemplate"]["spec"]
        self.assertEqual(job["completionMode"], "Indexed")
        args = job["template"]["spec"]["containers"][0]["args"]
        shards = int(args[args.index("--shards") + 1])
        self.assertEqual(shards, job["completions"])
        self.assertEqual(job["parallelism"], job["completions"])

    def test_pod_and_container_security_context(self):
        pod = one("CronJob")["spec"]["jobTemplate"]["spec"]["template"]["spec"]
        self.assertIs(pod["automountServiceAccountToken"], False)
        psc = pod["securityContext"]
        self.assertIs(psc["runAsNonRoot"], True)
        self.assertGreater(psc["runAsUser"], 0)
        self.assertEqual(psc["seccompProfile"]["type"], "RuntimeDefault")
        for container in pod["containers"]:
            csc = container["securityContext"]
            self.assertIs(csc["runAsNonRoot"], True)
            self.assertIs(csc["readOnlyRootFilesystem"], True)
            self.assertIs(csc["allowPrivilegeEscalation"], False)
            self.assertEqual(csc["capabilities"]["drop"], ["ALL"])
            self.assertNotIn("add", csc["capabilities"])
            self.assertEqual(csc["seccompProfile"]["type"], "RuntimeDefault")
        account = one("ServiceAccount")
        self.assertEqual(account["metadata"]["name"], pod["serviceAccountName"])
        self.assertIs(account["automountServiceAccountToken"], False)

    def test_resources_are_requested_and_limited(self):
        pod = one("CronJob")["spec"]["jobTemplate"]["spec"]["template"]["spec"]
        for container in pod["containers"]:
            resources = container["resources"]
            for kind in ("requests", "limits"):
                for resource in ("cpu", "memory"):
                    self.assertIn(resource, resources[kind], f"{kind}.{resource}")
        with open(os.path.join(DEPLOY, "cronjob.yaml"), encoding="utf-8") as f:
            text = f.read()
        self.assertRegex(text, r"Measured \(bench/resources\.sh", "say where the figures come from")
        self.assertNotIn("RESOURCES_", text)

    def test_config_is_a_configmap_and_the_spool_a_claim(self):
        pod = one("CronJob")["spec"]["jobTemplate"]["spec"]["template"]["spec"]
        volumes = {v["name"]: v for v in pod["volumes"]}
        mounts = {m["name"]: m for m in pod["containers"][0]["volumeMounts"]}
        generated = [g["name"] for g in kustomization()["configMapGenerator"]]
        self.assertIn(volumes["config"]["configMap"]["name"], generated)
        self.assertTrue(mounts["config"]["readOnly"])
        for g in kustomization()["configMapGenerator"]:
            for f in g["files"]:
                self.assertTrue(os.path.exists(os.path.join(DEPLOY, f.split("=")[-1])), f)
        claim = one("PersistentVolumeClaim")
        self.assertEqual(volumes["spool"]["persistentVolumeClaim"]["claimName"], claim["metadata"]["name"])
        # Shards run at once on any node: the claim must be mountable by all of them.
        self.assertEqual(claim["spec"]["accessModes"], ["ReadWriteMany"])
        config = tomllib.load(open(os.path.join(DEPLOY, "kpi.toml"), "rb"))
        self.assertTrue(config["spool"]["dir"].startswith(mounts["spool"]["mountPath"] + "/"))

    def test_no_secret_is_a_literal_or_an_argument(self):
        docs = manifests()
        for doc in docs:
            self.assertNotEqual(doc["kind"], "Secret", "a Secret with data in the repository")
        self.assertNotIn("secretGenerator", kustomization())
        pod = one("CronJob")["spec"]["jobTemplate"]["spec"]["template"]["spec"]
        for container in pod["containers"]:
            for arg in container.get("args", []) + container.get("command", []):
                self.assertIsNone(SECRET_WORDS.search(arg), f"argument {arg!r}")
            for env in container.get("env", []):
                if SECRET_WORDS.search(env["name"]):
                    self.assertNotIn("value", env, f"{env['name']} is a literal")
        # Secrets reach kpi only as files of the mounted Secret.
        volumes = {v["name"]: v for v in pod["volumes"]}
        mounts = {m["name"]: m for m in pod["containers"][0]["volumeMounts"]}
        self.assertEqual(mounts["secrets"]["mountPath"], SECRET_MOUNT)
        self.assertTrue(mounts["secrets"]["readOnly"])
        self.assertIn("secretName", volumes["secrets"]["secret"])
        self.assertEqual(volumes["secrets"]["secret"]["defaultMode"] & 0o007, 0, "no access for others")
        config = tomllib.load(open(os.path.join(DEPLOY, "kpi.toml"), "rb"))
        secret_files = 0
        for path, value in walk(config):
            key = path.rsplit(".", 1)[-1]
            if key.endswith("_file"):
                self.assertTrue(str(value).startswith(SECRET_MOUNT + "/"), f"{path} = {value}")
                secret_files += 1
            elif SECRET_WORDS.search(key):
                self.fail(f"{path} holds a secret literally")
        self.assertGreater(secret_files, 0)

    def test_the_config_is_valid_for_kpi(self):
        pod = one("CronJob")["spec"]["jobTemplate"]["spec"]["template"]["spec"]
        env = {e["name"]: e["value"] for e in pod["containers"][0]["env"] if "value" in e}
        env["JOB_COMPLETION_INDEX"] = "0"  # the Indexed Job sets it
        env["PATH"] = os.environ.get("PATH", "/usr/bin:/bin")
        check = subprocess.run([KPI, "config", "check", "--config", os.path.join(DEPLOY, "kpi.toml")],
                               env=env, capture_output=True, text=True, timeout=30)
        self.assertEqual(check.returncode, 0, check.stderr)
        self.assertIn("shard=0", check.stdout)


if __name__ == "__main__":
    unittest.main(verbosity=2)
