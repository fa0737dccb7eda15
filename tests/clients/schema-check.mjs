// Validate journey and library files with an independent JSON Schema validator,
// as an editor would: Ajv (draft 2020-12) over data read by the `yaml` package
// (YAML 1.2), not by journeymap's own reader. Used by tests/test_clients_schema.py.
//
// Reads one JSON request on stdin:
//   {"schemas": {"journey": PATH, "library": PATH},
//    "files": [{"path": PATH, "schema": "journey" | "library"}],
//    "documents": [{"name": NAME, "text": YAML, "schema": "journey" | "library"}],
//    "patterns": [{"pattern": REGEX, "strings": [TEXT, ...]}]}
// and writes one JSON answer on stdout:
//   {"files": {PATH: {"valid": BOOL, "errors": [TEXT, ...]}},
//    "documents": {NAME: {...}}, "patterns": [[BOOL, ...], ...]}
// Both schemas are added to ONE Ajv instance, as a workspace with both kinds of
// file would: Ajv refuses two schemas with the same $id.
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import YAML from "yaml";

const request = JSON.parse(readFileSync(0, "utf8"));
const ajv = new Ajv2020({ allErrors: true, strict: true });
const validators = {};
for (const [kind, path] of Object.entries(request.schemas)) {
  const schema = JSON.parse(readFileSync(path, "utf8"));
  ajv.addSchema(schema);
  validators[kind] = ajv.getSchema(schema.$id);
}

function check(text, kind) {
  // merge: true applies `<<` merge keys, as journeymap and the YAML language server do.
  const doc = YAML.parseDocument(text, { version: "1.2", merge: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return { valid: false, errors: doc.errors.map((e) => `yaml: ${e.message}`) };
  }
  const validate = validators[kind];
  const valid = validate(doc.toJS({ maxAliasCount: 10000 }));
  const errors = (validate.errors || []).map((e) => `${e.instancePath || "/"}: ${e.message}`);
  return { valid, errors };
}

const answer = { files: {}, documents: {}, patterns: [] };
for (const file of request.files || []) {
  answer.files[file.path] = check(readFileSync(file.path, "utf8"), file.schema);
}
for (const doc of request.documents || []) {
  answer.documents[doc.name] = check(doc.text, doc.schema);
}
for (const { pattern, strings } of request.patterns || []) {
  // JSON Schema patterns are ECMA-262 regular expressions; Ajv compiles them with the u flag.
  const re = new RegExp(pattern, "u");
  answer.patterns.push(strings.map((s) => re.test(s)));
}
process.stdout.write(JSON.stringify(answer));
