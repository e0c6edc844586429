#!/usr/bin/env python3
"""Checks real strata-searchd responses against schemas/openapi.yaml.

Indexes tests/data/corpus, starts the daemon on 127.0.0.1 (port 0), sends requests for every
route and several error cases, and validates each JSON body against the schema the spec
gives for that path and status. Uses Debian's python3-jsonschema and python3-yaml.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest
import urllib.error
import urllib.request

import jsonschema
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("STRATA_BUILD_DIR", os.path.join(ROOT, "build"))
SPEC = yaml.safe_load(open(os.path.join(ROOT, "schemas", "openapi.yaml"), encoding="utf-8"))


def schema_for(template, status, method="get"):
    op = SPEC["paths"][template][method]
    resp = op["responses"][str(status)]
    if "$ref" in resp:
        resp = SPEC["components"]["responses"][resp["$ref"].split("/")[-1]]
    media = resp["content"]
    if "application/json" not in media:
        return None
    return {"$ref": media["application/json"]["schema"]["$ref"], "components": SPEC["components"]}


class OpenApiContract(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        index = os.path.join(cls.tmp.name, "idx")
        subprocess.run([os.path.join(BUILD, "indexer", "strata-index"), os.path.join(ROOT, "tests", "data", "corpus"),
                        index, "--quiet"], check=True)
        cls.proc = subprocess.Popen([os.path.join(BUILD, "searchd", "strata-searchd"), "--index", index,
                                     "--listen", "127.0.0.1:0"], stderr=subprocess.PIPE, text=True)
        line = cls.proc.stderr.readline()
        match = re.search(r":(\d+)\s*$", line)
        if not match:
            cls.proc.kill()
            raise RuntimeError("daemon did not report its port: " + line)
        cls.base = "http://127.0.0.1:" + match.group(1)

    @classmethod
    def tearDownClass(cls):
        cls.proc.terminate()
        cls.proc.wait(timeout=10)
        cls.tmp.cleanup()

    def fetch(self, path):
        try:
            with urllib.request.urlopen(self.base + path, timeout=30) as r:
                return r.status, r.read().decode("utf-8")
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode("utf-8")

    def check(self, template, path, status):
        got, body = self.fetch(path)
        self.assertEqual(got, status, path + " → " + body[:300])
        schema = schema_for(template, status)
        if schema is None:
            return body
        data = json.loads(body)
        jsonschema.Draft202012Validator(schema).validate(data)
        return data

    def test_search_responses_match_the_spec(self):
        for q in ["/v1/search?q=ethics", "/v1/search", "/v1/search?q=ethics&crosslingual=true&group=passage",
                  "/v1/search?q=datos&country=ES,MX&sort=-year&facets=country,year",
                  "/v1/search?q=ethicks", "/v1/search?q=(broken", "/v1/search?q=%E4%BC%A6%E7%90%86"]:
            data = self.check("/v1/search", q, 200)
            self.assertIn("hits", data)

    def test_other_routes_match_the_spec(self):
        self.check("/v1/documents/{id}", "/v1/documents/gb-2021-test-strategy?q=ethics", 200)
        self.check("/v1/documents/{id}", "/v1/documents/es-2020-test-estrategia?q=ethics&crosslingual=false&theme=ethics", 200)
        self.check("/v1/documents/{id}", "/v1/documents/es-2020-test-estrategia", 200)
        self.check("/v1/documents/{id}/similar", "/v1/documents/es-2020-test-estrategia/similar", 200)
        self.check("/v1/themes", "/v1/themes", 200)
        self.check("/v1/countries", "/v1/countries", 200)
        self.check("/v1/stats", "/v1/stats", 200)
        self.check("/healthz", "/healthz", 200)
        self.check("/readyz", "/readyz", 200)
        self.assertIn("strata_http_requests_total", self.check("/metrics", "/metrics", 200))

    def test_compare_and_batch_match_the_spec(self):
        for q in ["/v1/compare", "/v1/compare?q=datos&by=country,year", "/v1/compare?q=ethics&by=region,theme&crosslingual=true",
                  "/v1/compare?by=country,lang&best=false&countries=ES,MX",
                  "/v1/compare?by=region,theme&regions=southern-europe,western-europe,americas"]:
            self.check("/v1/compare", q, 200)
        self.check("/v1/compare", "/v1/compare?by=theme,country", 400)
        for q in ["/v1/compare?measure=per_million&best=false", "/v1/compare?q=datos&by=country,year&measure=per_million",
                  "/v1/compare?measure=documents"]:
            self.check("/v1/compare", q, 200)
        self.check("/v1/compare", "/v1/compare?measure=share", 400)
        for q in ["/v1/keyness?target=country:ES&min_count=1", "/v1/keyness?target=country:ES&unit=concept&min_count=1",
                  "/v1/keyness?target=lang:es&reference=lang:en&unit=concept"]:
            self.check("/v1/keyness", q, 200)
        self.check("/v1/keyness", "/v1/keyness?target=ethics", 400)
        body = json.dumps({"queries": [{"id": "a", "q": "ethics"}, {"id": 2, "per_page": 0}], "defaults": {"facets": "country"}})
        req = urllib.request.Request(self.base + "/v1/batch", data=body.encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            data = json.loads(r.read())
        jsonschema.Draft202012Validator(schema_for("/v1/batch", 200, "post")).validate(data)
        self.assertEqual([x["id"] for x in data["results"]], ["a", 2])
        self.assertIn("error", data["results"][1])

    def test_analyses_match_the_spec(self):
        for q in ["/v1/concordance?q=ethics", "/v1/concordance?q=datos&country=ES,MX&sort=R1&context=3",
                  "/v1/concordance?q=%E4%BC%A6%E7%90%86&crosslingual=false", "/v1/concordance?q=zzzz"]:
            self.check("/v1/concordance", q, 200)
        for q in ["/v1/trends?q=ethics", "/v1/trends?q=datos&split=country", "/v1/trends?q=data&split=lang&year=2018..2021"]:
            self.check("/v1/trends", q, 200)
        self.check("/v1/concordance", "/v1/concordance?q=ethics&context=51", 400)
        self.check("/v1/trends", "/v1/trends?q=ethics&split=theme", 400)

    def test_errors_match_the_spec(self):
        self.check("/v1/search", "/v1/search?per_page=500", 400)
        self.check("/v1/search", "/v1/search?q=" + "a" * 5000, 413)
        self.check("/v1/documents/{id}", "/v1/documents/no-such-doc", 404)
        self.check("/v1/documents/{id}", "/v1/documents/gb-2021-test-strategy?q=ethics&page=2", 400)
        self.check("/v1/documents/{id}/similar", "/v1/documents/x1/similar?count=0", 400)

    def test_the_contract_can_fail(self):
        bad = {"error": {"code": "x"}}
        with self.assertRaises(jsonschema.ValidationError):
            jsonschema.Draft202012Validator(schema_for("/v1/search", 400)).validate(bad)


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    failed = len(result.failures) + len(result.errors)
    print(f"{result.testsRun - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
