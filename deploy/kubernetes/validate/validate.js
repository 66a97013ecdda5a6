// Validates Kubernetes manifests (kubectl kustomize output, on stdin or from files) against the API's JSON schemas
// with kubernetes-models: each object by its apiVersion and kind. Prints one line per object; exits 1 when an object
// is invalid or of a kind the schemas do not know.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { parseAllDocuments } from "yaml";

const require = createRequire(import.meta.url);
const files = process.argv.slice(2);
const text = files.length ? files.map((f) => readFileSync(f, "utf8")).join("\n---\n") : readFileSync(0, "utf8");

let failed = 0;
for (const doc of parseAllDocuments(text)) {
  const obj = doc.toJS();
  if (!obj) continue;
  const name = `${obj.kind}/${obj.metadata?.name} (${obj.apiVersion})`;
  const [group, version] = obj.apiVersion.includes("/") ? obj.apiVersion.split("/") : [null, obj.apiVersion];
  const path = group ? `kubernetes-models/${group}/${version}/${obj.kind}` : `kubernetes-models/${version}/${obj.kind}`;
  let Model;
  try {
    Model = require(path)[obj.kind];
  } catch (e) {
    console.log(`UNKNOWN ${name}: no schema for it in kubernetes-models`);
    failed++;
    continue;
  }
  try {
    new Model(obj).validate();
    console.log(`ok ${name}`);
  } catch (e) {
    console.log(`INVALID ${name}: ${e.message}`);
    failed++;
  }
}
process.exit(failed ? 1 : 0);
