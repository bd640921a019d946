// A tiny typed client for the example API of package internal/openapi
// (TestExampleDocument). .ci/openapi-ts.sh generates schema.d.ts from the
// document with openapi-typescript, puts it beside this file and runs
// tsc --noEmit: the client must compile, and every @ts-expect-error below
// must still be an error, so the schema keeps saying what Brisk means.
import type { components, operations, paths } from "./schema";

type Schemas = components["schemas"];
export type Item = Schemas["openapi_Item"];
export type User = Schemas["User"];
export type ValidationProblem = Schemas["HTTPValidationError"];

// The JSON body of an operation's response with the given status.
type JSONBody<Op, Status extends number> = Op extends {
  responses: { [S in Status]: { content: { "application/json": infer T } } };
}
  ? T
  : never;

// The JSON request body of an operation.
type RequestJSON<Op> = Op extends {
  requestBody: { content: { "application/json": infer T } };
}
  ? T
  : never;

export class BriskError extends Error {
  constructor(
    readonly status: number,
    readonly body: ValidationProblem | Schemas["HTTPError"] | unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

async function call<T>(method: string, url: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method, headers: { accept: "application/json" } };
  if (body !== undefined) {
    init.headers = { ...init.headers, "content-type": "application/json" };
    init.body = JSON.stringify(body);
  }
  const res = await fetch(url, init);
  if (!res.ok) {
    throw new BriskError(res.status, await res.json());
  }
  return (res.status === 204 ? undefined : await res.json()) as T;
}

type ListItems = operations["list_items_items_get"];
export function listItems(
  query: NonNullable<ListItems["parameters"]["query"]> = {},
): Promise<JSONBody<ListItems, 200>> {
  const qs = new URLSearchParams();
  if (query.limit !== undefined) qs.set("limit", String(query.limit));
  if (query.offset !== undefined) qs.set("offset", String(query.offset));
  if (query.q !== undefined) qs.set("q", query.q);
  for (const t of query.tag ?? []) qs.append("tag", t);
  return call("GET", `/items?${qs}`);
}

type CreateItem = paths["/items"]["post"];
export function createItem(item: RequestJSON<CreateItem>): Promise<JSONBody<CreateItem, 201>> {
  return call("POST", "/items", item);
}

type ReadItem = paths["/items/{item_id}"]["get"];
export function readItem(path: ReadItem["parameters"]["path"]): Promise<JSONBody<ReadItem, 200>> {
  return call("GET", `/items/${path.item_id}`);
}

type ReplaceItem = operations["replaceItem"];
export function replaceItem(
  path: ReplaceItem["parameters"]["path"],
  item: RequestJSON<ReplaceItem>,
): Promise<JSONBody<ReplaceItem, 200>> {
  return call("PUT", `/items/${path.item_id}`, item);
}

export function deleteItem(path: paths["/items/{item_id}"]["delete"]["parameters"]["path"]): Promise<void> {
  return call("DELETE", `/items/${path.item_id}`);
}

export function staticFile(path: paths["/static/{wildcard}"]["get"]["parameters"]["path"]) {
  return call<JSONBody<paths["/static/{wildcard}"]["get"], 200>>("GET", `/static/${path.wildcard}`);
}

export async function demo(): Promise<string> {
  const page = await listItems({ limit: 10, tag: ["a", "b"] });
  const total: number = page.total;
  const next: string | null | undefined = page.next;
  const created = await createItem({
    id: 0,
    name: "Hammer",
    price: 9.5,
    size: "M",
    quantity: 1,
    created: new Date().toISOString(),
    tags: ["tools"],
    tax: null,
    owner: { id: "5f1c4e2a-0000-4000-8000-000000000000", email: "a@example.com" },
  });
  const read = await readItem({ item_id: created.id });
  const audited: string = read.created_by; // flattened from the embedded Audit
  const replaced = await replaceItem({ item_id: read.id }, { ...created, name: "Mallet" });
  await deleteItem({ item_id: replaced.id });
  const msg: string = (await staticFile({ wildcard: "css/site.css" })).message;
  return `${total} ${next} ${audited} ${msg}`;
}

// --- what the schema must (not) allow ---------------------------------------
const item: Item = { id: 1, name: "x", price: 1, size: "S", quantity: 0, created: "2024-01-01T00:00:00Z" };
// @ts-expect-error name is required (validate:"required")
const noName: Item = { id: 1, price: 1, size: "S", quantity: 0, created: "2024-01-01T00:00:00Z" };
// @ts-expect-error size is oneof=S M L XL
const badSize: Item = { ...item, size: "XXL" };
// pointers are nullable, omitempty fields optional
const nulls: Item = { ...item, description: null, tax: null, owner: null };
// @ts-expect-error a slice is not nullable
const nullTags: Item = { ...item, tags: null };
// []byte is a base64 string, map[string]string an object of strings
const bytes: Item = { ...item, thumbnail: "aGVsbG8=", attrs: { colour: "red" } };
// @ts-expect-error attrs values are strings
const badAttrs: Item = { ...item, attrs: { n: 1 } };
// recursive types go through $ref
const tree: Schemas["Node"] = { name: "root", children: [{ name: "leaf" }, null] };
// the 422 body is FastAPI's
const problem: ValidationProblem = {
  detail: [{ loc: ["query", "limit"], msg: "Input should be greater than or equal to 1", type: "greater_than_equal", input: "0", ctx: {} }],
};
// @ts-expect-error loc holds strings and integers only
const badLoc: Schemas["ValidationError"] = { loc: [true], msg: "m", type: "t" };
// same-named Go types from different packages stay apart
const legacy: JSONBody<operations["legacy_items_legacy_items_get"], 200> = { a: { sku: "A-1" } };
// @ts-expect-error other.Item has no name
const mixed: Schemas["other_Item"] = { sku: "A-1", name: "x" };
// path parameters are typed from the Go types
// @ts-expect-error item_id is an integer
const badPath: ReadItem["parameters"]["path"] = { item_id: "7" };
const user: User = { id: "u", email: "e", friends: [null] };

export const fixtures = { item, noName, badSize, nulls, nullTags, bytes, badAttrs, tree, problem, badLoc, legacy, mixed, badPath, user };
