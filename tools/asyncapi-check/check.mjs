// Parses an AsyncAPI document with the official parser (@asyncapi/parser, pinned in
// package-lock.json), its relative $refs (./events/*.schema.json) read from beside it.
// Prints every diagnostic as one JSON line; exits 1 when one is an error or nothing parsed.
// Usage: node check.mjs path/to/asyncapi.yaml
import { Parser, fromFile } from "@asyncapi/parser";

const SEVERITY = ["error", "warning", "information", "hint"];
const path = process.argv[2];
const { document, diagnostics } = await fromFile(new Parser(), path).parse();
for (const d of diagnostics) {
  const where = d.path.join("/");
  console.log(JSON.stringify({ severity: SEVERITY[d.severity], code: d.code, path: where, message: d.message }));
}
if (document === undefined || diagnostics.some((d) => d.severity === 0)) process.exit(1);
const messages = document.components().messages().all();
console.log(JSON.stringify({
  parsed: document.version(),
  channels: document.channels().length,
  operations: document.operations().length,
  messages: messages.length,
  // Read through their $refs: a payload with properties came from its schema file.
  payloads_with_properties: messages.filter((m) => Object.keys(m.payload()?.properties() ?? {}).length > 0).length,
}));
