import { CURRENCIES, type Currency, isOneOf } from "../bog/vocabulary.js";
import { formatAmount, MAX_AMOUNT, parseAmount } from "../money.js";

/**
 * A catalog file for `npm run catalog:import`: a JSON array of products (or
 * `{"products": [...]}`), each `{productId, description, unitPrice: "12.50",
 * currency, image?, active?}`. Prices are decimal strings, so that no float ever
 * touches them, up to MAX_AMOUNT. Every problem is reported; nothing is written
 * unless all is well.
 */

export interface CatalogItem {
  productId: string;
  description: string;
  unitPrice: number;
  currency: Currency;
  image?: string;
  active: boolean;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;
const KNOWN = new Set(["productId", "description", "unitPrice", "currency", "image", "active"]);

export function parseCatalogFile(text: string): { items: CatalogItem[]; problems: string[] } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { items: [], problems: ["the file is not JSON"] };
  }
  const list = Array.isArray(value)
    ? value
    : typeof value === "object" &&
        value !== null &&
        Array.isArray((value as { products?: unknown }).products)
      ? (value as { products: unknown[] }).products
      : undefined;
  if (!list)
    return {
      items: [],
      problems: ['the file must be a JSON array of products, or {"products": [...]}'],
    };
  if (list.length === 0) return { items: [], problems: ["the file has no products"] };

  const problems: string[] = [];
  const items: CatalogItem[] = [];
  const seen = new Set<string>();
  list.forEach((raw, i) => {
    const at = `products[${i}]`;
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      problems.push(`${at} must be an object`);
      return;
    }
    const p = raw as Record<string, unknown>;
    const before = problems.length;
    for (const key of Object.keys(p))
      if (!KNOWN.has(key)) problems.push(`${at}.${key} is not a product field`);
    const text = (key: string, max: number) => {
      const v = p[key];
      if (typeof v !== "string" || v.trim() === "") problems.push(`${at}.${key} is required`);
      else if (v.length > max) problems.push(`${at}.${key} must be at most ${max} characters`);
      else if (CONTROL.test(v)) problems.push(`${at}.${key} must not contain control characters`);
      else return v;
      return undefined;
    };
    const productId = text("productId", 128);
    const description = text("description", 200);
    if (productId !== undefined) {
      if (seen.has(productId)) problems.push(`${at}.productId "${productId}" appears twice`);
      seen.add(productId);
    }
    const unitPrice = typeof p.unitPrice === "string" ? parseAmount(p.unitPrice) : undefined;
    if (unitPrice === undefined)
      problems.push(
        `${at}.unitPrice must be a decimal string with at most two places, like "12.50"`,
      );
    else if (unitPrice > MAX_AMOUNT)
      problems.push(
        `${at}.unitPrice of ${productId === undefined ? "this product" : `"${productId}"`} is ${p.unitPrice as string}, above the largest price, ${formatAmount(MAX_AMOUNT)}`,
      );
    if (!isOneOf(CURRENCIES, p.currency)) {
      problems.push(`${at}.currency must be one of ${CURRENCIES.join(", ")}`);
    }
    let image: string | undefined;
    if (p.image !== undefined && p.image !== null) {
      try {
        if (typeof p.image !== "string" || new URL(p.image).protocol !== "https:")
          throw new Error();
        image = p.image;
      } catch {
        problems.push(`${at}.image must be an https URL`);
      }
    }
    if (p.active !== undefined && typeof p.active !== "boolean")
      problems.push(`${at}.active must be true or false`);
    if (problems.length === before) {
      items.push({
        productId: productId as string,
        description: description as string,
        unitPrice: unitPrice as number,
        currency: p.currency as CatalogItem["currency"],
        ...(image ? { image } : {}),
        active: p.active !== false,
      });
    }
  });
  return problems.length > 0 ? { items: [], problems } : { items, problems };
}
