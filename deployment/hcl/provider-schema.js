// Writes google-provider-schema.json: for each resource and data source type terraform/*.tf uses,
// the argument and block names the real google provider accepts, by block path. Read from
// @cdktf/provider-google (generated from the provider's own schema), which is too big (~300 MB)
// to install in every build, so its extract is checked in.
//
// Regenerate (after a provider upgrade or a new resource type in terraform/):
//   (cd /tmp/pg && npm i -E --ignore-scripts @cdktf/provider-google@16.12.1)
//   node deployment/hcl/provider-schema.js /tmp/pg/node_modules/@cdktf/provider-google terraform \
//     > deployment/hcl/google-provider-schema.json
"use strict";
const fs = require("fs");
const path = require("path");
const { parse } = require("@cdktf/hcl2json");

function objectKeys(body) {
  // "key: expression," lines of one returned object literal
  const out = {};
  for (const line of body.split("\n")) {
    const m = line.match(/^\s{8}([a-z0-9_]+): (.*),?$/);
    if (!m) continue;
    const nested = m[2].match(/([A-Za-z0-9]+)ToTerraform\b/g) || [];
    const own = nested.map((n) => n.replace(/ToTerraform$/, "")).filter((n) => !/^(string|number|boolean|hash|list|numberList|stringList|boolean)$/.test(n));
    out[m[1]] = own.length ? own[0] : null;
  }
  return out;
}

function functionBody(source, name) {
  const start = source.indexOf(`function ${name}ToTerraform(struct) {`);
  if (start < 0) return null;
  const ret = source.indexOf("return {", start);
  const end = source.indexOf("\n    };", ret);
  return source.substring(ret, end);
}

function walk(source, body, prefix, schema) {
  const keys = objectKeys(body);
  schema[prefix] = Object.keys(keys).sort();
  for (const [key, nested] of Object.entries(keys)) {
    if (!nested) continue;
    const inner = functionBody(source, nested);
    if (inner) walk(source, inner, prefix ? `${prefix}.${key}` : key, schema);
  }
}

function typeSchema(lib, kind, type) {
  const dir = (kind === "data" ? "data-google-" : "") + type.replace(/^google_/, "").replace(/_/g, "-");
  const file = path.join(lib, "lib", dir, "index.js");
  const source = fs.readFileSync(file, "utf8");
  const at = source.indexOf("synthesizeAttributes() {");
  const ret = source.indexOf("return {", at);
  const end = source.indexOf("\n        };", ret);
  const schema = {};
  walk(source, source.substring(ret, end).replace(/^ {4}/gm, ""), "", schema);
  return schema;
}

async function main() {
  const [lib, tfDir] = process.argv.slice(2);
  const version = JSON.parse(fs.readFileSync(path.join(lib, "package.json"), "utf8")).version;
  const types = new Set();
  for (const f of fs.readdirSync(tfDir).filter((f) => f.endsWith(".tf")).sort()) {
    const json = await parse(f, fs.readFileSync(path.join(tfDir, f), "utf8"));
    for (const kind of ["resource", "data"]) {
      for (const type of Object.keys(json[kind] || {})) {
        if (type.startsWith("google_")) types.add(`${kind}.${type}`);
      }
    }
  }
  const out = { _source: `@cdktf/provider-google@${version} (hashicorp/google provider schema); see provider-schema.js to regenerate` };
  for (const t of [...types].sort()) {
    const [kind, type] = t.split(".");
    out[t] = typeSchema(lib, kind, type);
  }
  process.stdout.write(JSON.stringify(out, null, 1) + "\n");
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
