// Validates every document of the given Kubernetes manifests offline
// against the Kubernetes OpenAPI schema, with the npm packages
// kubernetes-models (a model class per apiVersion and kind, whose
// validate() runs the schema's compiled validator) and yaml. Exit 0 when
// every document is valid, 1 with one line per problem otherwise.
//
//   node check_k8s_manifests.mjs FILE.yaml...
//
// The packages are imported as ES modules, found in a node_modules beside
// this file or above it (k8s_manifests_test.sh copies it next to a link
// to them).
import { readFileSync } from "node:fs";
import YAML from "yaml";

let problems = 0;
let documents = 0;
const problem = (where, message) => {
  console.log(`${where}: ${message}`);
  problems++;
};

for (const file of process.argv.slice(2)) {
  const docs = YAML.parseAllDocuments(readFileSync(file, "utf8"));
  let index = 0;
  for (const doc of docs) {
    const where = `${file}[${index++}]`;
    if (doc.errors.length) {
      problem(where, `YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
      continue;
    }
    const object = doc.toJS();
    if (object === null) continue;  // an empty document
    documents++;
    const { apiVersion, kind } = object;
    if (typeof apiVersion !== "string" || typeof kind !== "string") {
      problem(where, "no apiVersion or kind");
      continue;
    }
    let models;
    try {
      models = await import(`kubernetes-models/${apiVersion}`);
    } catch {
      problem(where, `no schema for apiVersion ${apiVersion}`);
      continue;
    }
    const Model = models[kind];
    if (typeof Model !== "function") {
      problem(where, `no schema for ${kind} in ${apiVersion}`);
      continue;
    }
    try {
      new Model(object).validate();
    } catch (error) {
      problem(where, `${kind} ${object.metadata?.name ?? ""}: ${error.message}`);
    }
  }
}
console.log(`${documents} documents checked, ${problems} problems`);
process.exit(problems ? 1 : 0);
