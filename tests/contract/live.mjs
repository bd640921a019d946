// Live-response contract check: every response an example program sends
// must validate against the OpenAPI document that same program serves.
//
//   node live.mjs BIN_DIR [NAME ...]
//
// BIN_DIR holds one built example program per file (named after its folder
// in examples/). Each is started on a free loopback port (HOST/PORT, as
// App.Run reads them) in a scratch directory; its /openapi.json is fetched;
// then, for every operation, requests are built from the document itself —
// all parameters and a sample body, only the required ones, nothing at all,
// and wrongly typed values — and every answer is checked:
//
//   - its status is one the operation documents (or "default");
//   - its content type is one documented for that status (no body where
//     none is documented);
//   - a JSON body validates (Ajv, JSON Schema 2020-12 as OpenAPI 3.1 uses)
//     against the documented schema; JSON Lines bodies line by line.
//
// tests/contract/examples.json may skip an example (with the reason) or add
// request headers. Exits 1 on any mismatch, printing each one.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const here = dirname(fileURLToPath(import.meta.url));
const config = JSON.parse(readFileSync(join(here, "examples.json"), "utf8"));

const binDir = process.argv[2];
if (!binDir) {
  console.error("usage: node live.mjs BIN_DIR [NAME ...]");
  process.exit(2);
}
const names = process.argv.length > 3 ? process.argv.slice(3) : readdirSync(binDir).sort();

let checked = 0;
const failures = [];

for (const name of names) {
  const conf = config[name] || {};
  if (conf.skip) {
    console.log(`-- ${name}: skipped (${conf.skip})`);
    continue;
  }
  const before = checked;
  const failedBefore = failures.length;
  try {
    await checkExample(name, join(binDir, name), conf);
  } catch (err) {
    failures.push(`${name}: ${err.message}`);
  }
  const fails = failures.length - failedBefore;
  console.log(`-- ${name}: ${checked - before} responses checked, ${fails} mismatches`);
}

for (const f of failures) console.log("FAIL " + f);
console.log(`${checked} responses checked, ${failures.length} mismatches`);
process.exit(failures.length ? 1 : 0);

// checkExample runs one program and checks every operation of its document.
async function checkExample(name, bin, conf) {
  const port = await freePort();
  const work = mkdtempSync(join(tmpdir(), `brisk-live-${name}-`));
  const child = spawn(bin, [], {
    cwd: work,
    env: { ...process.env, HOST: "127.0.0.1", PORT: String(port), ...(conf.env || {}) },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const base = `http://127.0.0.1:${port}`;
  try {
    const doc = await waitForDocument(base, child, () => stderr);
    const ajv = newAjv(doc);
    for (const [path, item] of Object.entries(doc.paths || {})) {
      for (const method of ["get", "put", "post", "delete", "options", "head", "patch"]) {
        const op = item[method];
        if (!op) continue;
        const params = [...(item.parameters || []), ...(op.parameters || [])].map((p) => deref(doc, p));
        for (const variant of ["full", "required", "empty", "wrong"]) {
          const req = buildRequest(doc, base, path, method, op, params, variant, conf);
          await checkOne(doc, ajv, name, path, method, op, req, variant);
        }
      }
    }
  } finally {
    child.kill("SIGKILL");
    rmSync(work, { recursive: true, force: true });
  }
}

async function waitForDocument(base, child, stderr) {
  const deadline = Date.now() + 20000;
  let exited = false;
  child.on("exit", () => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`program exited before serving:\n${stderr()}`);
    try {
      const res = await fetch(base + "/openapi.json");
      if (res.ok) return await res.json();
      throw new Error(`GET /openapi.json: ${res.status}`);
    } catch (err) {
      if (!String(err.cause?.code || err.message).match(/ECONNREFUSED|fetch failed/)) throw err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`program did not serve within 20s:\n${stderr()}`);
}

function newAjv(doc) {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false, validateFormats: true });
  addFormats(ajv);
  ajv.addFormat("int32", { type: "number", validate: (n) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat("int64", { type: "number", validate: (n) => Number.isInteger(n) });
  for (const f of ["float", "double"]) ajv.addFormat(f, { type: "number", validate: () => true });
  for (const f of ["binary", "byte", "password"]) ajv.addFormat(f, true);
  ajv.addSchema(doc, "doc");
  return ajv;
}

// pointer is the JSON pointer of keys, as a URI fragment.
function pointer(...keys) {
  return "#" + keys.map((k) => "/" + encodeURIComponent(String(k).replace(/~/g, "~0").replace(/\//g, "~1"))).join("");
}

function deref(doc, v, seen = 0) {
  if (v && v.$ref && v.$ref.startsWith("#/") && seen < 32) {
    let cur = doc;
    for (const part of v.$ref.slice(2).split("/")) cur = cur[part.replace(/~1/g, "/").replace(/~0/g, "~")];
    return deref(doc, cur, seen + 1);
  }
  return v;
}

// sample builds a value the schema accepts, as far as it can tell.
function sample(doc, schema, depth = 0, all = true) {
  schema = deref(doc, schema);
  if (!schema || depth > 6) return null;
  if (Array.isArray(schema.examples) && schema.examples.length) return schema.examples[0];
  if (schema.example !== undefined) return schema.example;
  if (schema.default !== undefined) return schema.default;
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[0];
  for (const k of ["anyOf", "oneOf"]) {
    if (Array.isArray(schema[k])) {
      const branch = schema[k].map((s) => deref(doc, s)).find((s) => s && s.type !== "null") || schema[k][0];
      return sample(doc, branch, depth + 1, all);
    }
  }
  if (Array.isArray(schema.allOf)) {
    return Object.assign({}, ...schema.allOf.map((s) => sample(doc, s, depth + 1, all)));
  }
  let type = schema.type;
  if (Array.isArray(type)) type = type.find((t) => t !== "null") || "null";
  if (!type) type = schema.properties ? "object" : schema.items ? "array" : "string";
  switch (type) {
    case "null":
      return null;
    case "boolean":
      return true;
    case "integer":
    case "number": {
      let lo = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : undefined);
      let hi = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : undefined);
      let v = type === "integer" ? 1 : 1.5;
      if (lo !== undefined && v < lo) v = type === "integer" ? Math.ceil(lo) : lo + 0.5;
      if (hi !== undefined && v > hi) v = type === "integer" ? Math.floor(hi) : hi;
      if (schema.multipleOf) v = Math.ceil(v / schema.multipleOf) * schema.multipleOf;
      return v;
    }
    case "string": {
      const formats = {
        "date-time": "2024-01-02T03:04:05Z",
        date: "2024-01-02",
        time: "03:04:05",
        uuid: "123e4567-e89b-12d3-a456-426614174000",
        email: "user@example.com",
        uri: "https://example.com/",
        ipv4: "127.0.0.1",
        ipv6: "::1",
        hostname: "example.com",
        duration: "PT1S",
      };
      if (schema.format && formats[schema.format]) return formats[schema.format];
      let s = "abc";
      if (schema.minLength && s.length < schema.minLength) s = "a".repeat(schema.minLength);
      if (schema.maxLength !== undefined && s.length > schema.maxLength) s = s.slice(0, schema.maxLength);
      return s;
    }
    case "array": {
      const n = Math.max(1, schema.minItems || 0);
      return Array.from({ length: n }, () => sample(doc, schema.items || {}, depth + 1, all));
    }
    case "object": {
      const out = {};
      const req = new Set(schema.required || []);
      for (const [k, s] of Object.entries(schema.properties || {})) {
        if (all || req.has(k)) out[k] = sample(doc, s, depth + 1, all);
      }
      return out;
    }
  }
  return null;
}

// wrongValue is a value of the wrong type for schema's type.
function wrongValue(doc, schema) {
  schema = deref(doc, schema) || {};
  let type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  return type === "string" ? 12345 : "not-a-" + (type || "value");
}

function buildRequest(doc, base, path, method, op, params, variant, conf) {
  let url = path;
  const query = new URLSearchParams();
  const headers = { ...(conf.headers || {}) };
  const cookies = [];
  for (const p of params) {
    if (!p || !p.in) continue;
    const include = p.in === "path" || variant === "full" || variant === "wrong" || (variant === "required" && p.required);
    if (!include) continue;
    let v = variant === "wrong" && p.in !== "path" ? "not-a-number-x" : sample(doc, p.schema || {}, 0, variant !== "required");
    if (variant === "wrong" && p.in === "path") {
      const t = deref(doc, p.schema || {}).type;
      v = t === "integer" || t === "number" ? "not-a-number-x" : sample(doc, p.schema || {});
    }
    const vals = Array.isArray(v) ? v : [v];
    switch (p.in) {
      case "path":
        url = url.replace(`{${p.name}}`, encodeURIComponent(String(vals[0] ?? "x")));
        break;
      case "query":
        for (const x of vals) query.append(p.name, typeof x === "object" ? JSON.stringify(x) : String(x));
        break;
      case "header":
        headers[p.name] = vals.map(String).join(",");
        break;
      case "cookie":
        cookies.push(`${p.name}=${encodeURIComponent(String(vals[0]))}`);
        break;
    }
  }
  if (cookies.length) headers.Cookie = cookies.join("; ");
  const qs = query.toString();
  const init = { method: method.toUpperCase(), headers, redirect: "manual" };
  const rb = deref(doc, op.requestBody);
  if (rb && rb.content && variant !== "empty") {
    const [ctype, media] = Object.entries(rb.content)[0];
    const schema = media.schema || {};
    let value = variant === "wrong" ? wrongValue(doc, schema) : sample(doc, schema, 0, variant !== "required");
    if (ctype.includes("json")) {
      headers["Content-Type"] = ctype;
      init.body = JSON.stringify(value);
    } else if (ctype === "application/x-www-form-urlencoded") {
      const form = new URLSearchParams();
      for (const [k, v] of Object.entries(value && typeof value === "object" ? value : {})) {
        for (const x of Array.isArray(v) ? v : [v]) form.append(k, String(x));
      }
      init.body = form;
    } else if (ctype === "multipart/form-data") {
      const form = new FormData();
      const props = deref(doc, schema).properties || {};
      for (const [k, v] of Object.entries(value && typeof value === "object" ? value : {})) {
        const isFile = (s) => {
          s = deref(doc, s) || {};
          if (s.type === "array") return isFile(s.items);
          return s.format === "binary" || s.contentMediaType !== undefined;
        };
        for (const x of Array.isArray(v) ? v : [v]) {
          if (isFile(props[k])) form.append(k, new Blob(["hello"], { type: "text/plain" }), "hello.txt");
          else form.append(k, String(x));
        }
      }
      init.body = form;
    } else {
      headers["Content-Type"] = ctype;
      init.body = typeof value === "string" ? value : JSON.stringify(value);
    }
  }
  return { url: base + url + (qs ? "?" + qs : ""), init };
}

async function checkOne(doc, ajv, name, path, method, op, req, variant) {
  const where = `${name}: ${method.toUpperCase()} ${path} (${variant}: ${req.init.method} ${req.url.replace(/^http:\/\/[^/]+/, "")})`;
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), 5000);
  let res;
  let text = "";
  try {
    res = await fetch(req.url, { ...req.init, signal: ctrl.signal });
    const ctype = res.headers.get("content-type") || "";
    if (ctype.startsWith("text/event-stream")) {
      // An event stream may never end: its status and type are what is checked.
      ctrl.abort();
    } else {
      text = await res.text();
    }
  } catch (err) {
    if (!res) {
      failures.push(`${where}: request failed: ${err.message}`);
      return;
    }
  } finally {
    clearTimeout(timer);
  }
  checked++;
  const status = String(res.status);
  const responses = op.responses || {};
  const key = status in responses ? status : `${status[0]}XX` in responses ? `${status[0]}XX` : "default" in responses ? "default" : null;
  if (!key) {
    failures.push(`${where}: status ${status} is not documented (documented: ${Object.keys(responses).join(", ")}); body: ${text.slice(0, 300)}`);
    return;
  }
  const documented = deref(doc, responses[key]);
  const content = documented.content || {};
  const ctype = (res.headers.get("content-type") || "").split(";")[0].trim();
  if (req.init.method === "HEAD" || status === "204" || status === "304") return;
  if (Object.keys(content).length === 0) {
    if (text.length) failures.push(`${where}: status ${status} documents no body, got ${ctype}: ${text.slice(0, 200)}`);
    return;
  }
  const mediaKey = Object.keys(content).find((k) => k === ctype) || Object.keys(content).find((k) => matchesMedia(k, ctype));
  if (!mediaKey) {
    failures.push(`${where}: status ${status} sent ${ctype || "no content type"}, documented: ${Object.keys(content).join(", ")}`);
    return;
  }
  const media = content[mediaKey];
  if (!media.schema && !media.itemSchema) return;
  const lines = /jsonl|ndjson|json-seq/.test(ctype) ? text.split("\n").filter((l) => l.trim() !== "") : null;
  let keys = ["paths", path, method, "responses", key, "content", mediaKey, media.itemSchema ? "itemSchema" : "schema"];
  if (lines && !media.itemSchema && (deref(doc, media.schema) || {}).type === "array") keys = [...keys, "items"];
  const ref = "doc" + pointer(...keys);
  const validate = ajv.getSchema(ref) || ajv.compile({ $ref: ref });
  if (lines) {
    for (const line of lines) validateJSON(where, validate, line);
    return;
  }
  if (/json/.test(ctype)) validateJSON(where, validate, text);
}

function validateJSON(where, validate, text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch (err) {
    failures.push(`${where}: body is not JSON: ${text.slice(0, 200)}`);
    return;
  }
  if (!validate(value)) {
    const errs = validate.errors.slice(0, 5).map((e) => `${e.instancePath || "/"} ${e.message}`).join("; ");
    failures.push(`${where}: body does not match its schema: ${errs}; body: ${text.slice(0, 300)}`);
  }
}

function matchesMedia(pattern, ctype) {
  if (pattern === "*/*") return true;
  if (pattern.endsWith("/*")) return ctype.startsWith(pattern.slice(0, -1));
  return false;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

