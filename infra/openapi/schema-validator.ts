import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { isObject, type Json, type OpenApiDocument, resolvePointer } from "./document.js";

/**
 * JSON Schema 2020-12 validation (Ajv, with formats) of values against the schemas of
 * the OpenAPI document, by the schema's JSON pointer in the document, so that its
 * `#/components/...` references resolve as the document means them.
 */

const DOC_ID = "openapi.yaml";
// ajv-formats is CommonJS: its default export arrives wrapped under NodeNext.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

export class DocumentSchemas {
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(readonly doc: OpenApiDocument) {
    // strict off: OpenAPI's own keywords (example, discriminator, x-…) sit beside JSON Schema's.
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.ajv);
    this.ajv.addSchema(doc as object, DOC_ID);
  }

  /** Problems of `value` against the schema at `pointer` (`#/components/schemas/Error`); none when valid. */
  problems(pointer: string, value: unknown): string[] {
    let validate = this.compiled.get(pointer);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `${DOC_ID}${pointer}` });
      this.compiled.set(pointer, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map(
      (e: ErrorObject) =>
        `${e.instancePath || "(root)"} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`,
    );
  }

  /** Follows `$ref`s from `pointer` to the object they end at, answering its pointer too. */
  deref(pointer: string): { pointer: string; value: Json } {
    let at = pointer;
    for (let hops = 0; hops < 20; hops++) {
      const value = resolvePointer(this.doc, at);
      if (!isObject(value) || typeof value.$ref !== "string") return { pointer: at, value };
      at = value.$ref;
    }
    throw new Error(`${pointer}: $ref loop`);
  }
}

/** A JSON pointer segment, escaped (`/orders/{orderId}` → `~1orders~1{orderId}`). */
export const segment = (key: string) => key.replaceAll("~", "~0").replaceAll("/", "~1");
