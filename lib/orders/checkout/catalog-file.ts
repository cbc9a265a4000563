import { CURRENCIES, type Currency, isOneOf } from "../../bog/vocabulary.js";
import { formatAmount, MAX_AMOUNT, parseAmount } from "../../money.js";
import { readLineDetails } from "./line-details.js";

/**
 * A catalog file for `npm run catalog:import`: a JSON array of products (or
 * `{"products": [...]}`), each `{productId, description, unitPrice: "12.50",
 * currency, image?, active?, unitDiscount?: "2.50", discountId?, vatPercent?: "18",
 * packageCode?, tin?, pinfl?}` (the last four as `line-details.ts` reads them). Prices and
 * discounts are decimal strings, so that no float ever touches them, up to MAX_AMOUNT;
 * a discount is taken off each unit and is at most the unit price. `discountId` is the
 * bank's `product_discount_id`. Every problem is reported; nothing is written unless
 * all is well.
 */

export interface CatalogItem {
  productId: string;
  description: string;
  unitPrice: number;
  currency: Currency;
  image?: string;
  active: boolean;
  unitDiscount?: number;
  discountId?: string;
  /** The bank's `vat_percent`, `package_code`, `tin`, `pinfl` for this product (`line-details.ts`). */
  vatPercent?: string;
  packageCode?: string;
  tin?: string;
  pinfl?: string;
}

/** The line details a catalog product carries (its image is the product's own). */
export const CATALOG_DETAIL_FIELDS = ["vatPercent", "packageCode", "tin", "pinfl"] as const;

/** The bank's `product_discount_id` as we accept it: 1 to 64 printable characters. */
export const MAX_DISCOUNT_ID = 64;
const PRINTABLE = /^[^\p{C}]+$/u;
export const isDiscountId = (value: unknown): value is string =>
  typeof value === "string" &&
  value.length <= MAX_DISCOUNT_ID &&
  value.trim() !== "" &&
  PRINTABLE.test(value);

// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;
const KNOWN = new Set([
  "productId",
  "description",
  "unitPrice",
  "currency",
  "image",
  "active",
  "unitDiscount",
  "discountId",
  ...CATALOG_DETAIL_FIELDS,
]);

export function parseCatalogFile(text: string): { items: CatalogItem[]; problems: string[] } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { items: [], problems: ["the file is not JSON"] };
  }
  const list = Array.isArray(value)
    ? value
    : value !== null &&
        // Stryker disable next-line ConditionalExpression: → true: a number, string or boolean has no .products array; null is refused by the test above
        typeof value === "object" &&
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
    const named = productId === undefined ? "this product" : `"${productId}"`;
    let unitDiscount: number | undefined;
    if (p.unitDiscount !== undefined && p.unitDiscount !== null) {
      unitDiscount = typeof p.unitDiscount === "string" ? parseAmount(p.unitDiscount) : undefined;
      if (unitDiscount === undefined)
        problems.push(
          `${at}.unitDiscount of ${named} must be a decimal string with at most two places, like "2.50"`,
        );
      else if (unitPrice !== undefined && unitDiscount > unitPrice)
        problems.push(
          `${at}.unitDiscount of ${named} is ${p.unitDiscount as string}, above its unitPrice, ${p.unitPrice as string}`,
        );
    }
    let discountId: string | undefined;
    if (p.discountId !== undefined && p.discountId !== null) {
      if (isDiscountId(p.discountId)) discountId = p.discountId;
      else
        problems.push(
          `${at}.discountId of ${named} must be 1 to ${MAX_DISCOUNT_ID} printable characters`,
        );
    }
    const lineDetails = readLineDetails(p, `${at}.`, CATALOG_DETAIL_FIELDS);
    for (const problem of lineDetails.problems) {
      problems.push(`${problem.path} of ${named}: ${problem.message}`);
    }
    // Equivalent mutant, not disabled (it shares its line with tested ones): → true: a product with problems is then pushed too, but a file with any problem returns no items at all
    if (problems.length === before) {
      items.push({
        productId: productId as string,
        description: description as string,
        unitPrice: unitPrice as number,
        currency: p.currency as CatalogItem["currency"],
        ...(image ? { image } : {}),
        active: p.active !== false,
        ...(unitDiscount !== undefined ? { unitDiscount } : {}),
        ...(discountId !== undefined ? { discountId } : {}),
        ...lineDetails.details,
      });
    }
  });
  return problems.length > 0 ? { items: [], problems } : { items, problems };
}
