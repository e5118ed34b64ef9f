// Parses every *.tf file of a folder with HashiCorp's HCL parser (WASM) and prints one JSON
// object: { "<file name>": <that file as Terraform JSON> }. A syntax error exits 1 naming the file.
"use strict";
const fs = require("fs");
const path = require("path");
const { parse } = require("@cdktf/hcl2json");

async function main() {
  const dir = process.argv[2];
  if (!dir) {
    console.error("usage: node hcl2json.js <folder of .tf files>");
    process.exit(2);
  }
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".tf")).sort();
  const out = {};
  for (const file of files) {
    const text = fs.readFileSync(path.join(dir, file), "utf8");
    try {
      out[file] = await parse(file, text);
    } catch (e) {
      console.error(`${file}: ${e && e.message ? e.message : e}`);
      process.exit(1);
    }
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
