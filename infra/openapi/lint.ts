import { pathToFileURL } from "node:url";
import { Validator } from "@seriousme/openapi-schema-validator";
import {
  isObject,
  type Json,
  OPENAPI_YAML,
  type OpenApiDocument,
  readOpenApi,
  resolvePointer,
} from "./document.js";
import { DocumentSchemas, segment } from "./schema-validator.js";

/**
 * `npm run openapi:lint`: openapi.yaml is a valid OpenAPI 3.1 document (the OpenAPI
 * Initiative's JSON Schema for 3.1, offline), every local `$ref` points at something,
 * and every example is valid against the schema beside it (media types' `example` and
 * `examples`). Prints each problem; exits 1 if there is any.
 */

function refs(value: Json, at: string, found: Array<{ ref: string; at: string }>) {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) refs(item, `${at}/${i}`, found);
  } else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (key === "$ref" && typeof item === "string") found.push({ ref: item, at });
      else refs(item, `${at}/${segment(key)}`, found);
    }
  }
  return found;
}

/** Every media type object of the document (requests, responses, webhooks), by pointer. */
function mediaTypes(value: Json, at: string, found: string[] = []): string[] {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) mediaTypes(item, `${at}/${i}`, found);
  } else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (key === "content" && isObject(item)) {
        for (const [type, media] of Object.entries(item))
          if (isObject(media) && "schema" in media) found.push(`${at}/content/${segment(type)}`);
      } else if (key !== "example" && key !== "examples") {
        mediaTypes(item, `${at}/${segment(key)}`, found);
      }
    }
  }
  return found;
}

export function exampleProblems(doc: OpenApiDocument): string[] {
  const schemas = new DocumentSchemas(doc);
  const problems: string[] = [];
  for (const pointer of mediaTypes(doc, "#")) {
    const media = resolvePointer(doc, pointer);
    if (!isObject(media)) continue;
    const examples: Array<[string, Json]> = [];
    if ("example" in media) examples.push(["example", media.example ?? null]);
    if (isObject(media.examples))
      for (const [name, example] of Object.entries(media.examples))
        if (isObject(example) && "value" in example)
          examples.push([`examples/${name}`, example.value ?? null]);
    for (const [name, example] of examples)
      for (const problem of schemas.problems(`${pointer}/schema`, example))
        problems.push(`${pointer}/${name}: ${problem}`);
  }
  return problems;
}

export async function lintOpenApi(path = OPENAPI_YAML): Promise<string[]> {
  const validator = new Validator();
  const result = await validator.validate(path);
  if (!result.valid) return [`not a valid OpenAPI document: ${JSON.stringify(result.errors)}`];
  if (validator.version !== "3.1") return [`OpenAPI ${validator.version}, not 3.1`];
  const doc = readOpenApi(path);
  const dangling = refs(doc, "#", []).flatMap(({ ref, at }) => {
    try {
      resolvePointer(doc, ref);
      return [];
    } catch {
      return [`${at}: $ref ${ref} points at nothing`];
    }
  });
  return dangling.length > 0 ? dangling : exampleProblems(doc);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const problems = await lintOpenApi();
  for (const problem of problems) console.error(problem);
  if (problems.length > 0) process.exit(1);
  console.log(
    `${OPENAPI_YAML}: valid OpenAPI 3.1, every $ref resolves, every example fits its schema`,
  );
}
