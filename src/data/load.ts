import { stat } from "node:fs/promises";
import { InputError } from "../util/errors.js";
import { importGaokao, isGaokaoRawDir } from "./importers/gaokao.js";
import type { Item } from "./item.js";
import { readItemsFromPath } from "./items-io.js";
import { ItemChecker } from "./validate.js";

/**
 * Checks items produced in memory (by an importer or a transform) with the same rules as the
 * readers, so nothing invalid is ever written. `label` names the source in error messages; the
 * row is the item's position.
 */
export function checkItems(items: readonly Item[], label: string): Item[] {
  const checker = new ItemChecker();
  return items.map((it, row) => checker.check(it, { file: label, row }));
}

/**
 * Loads items from an item file, a folder of item files, or a GAOKAO-Bench raw folder (imported
 * on the fly with official exam totals).
 */
export async function loadItems(path: string): Promise<Item[]> {
  let isDir = false;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch {
    throw new InputError({ file: path }, "file not found");
  }
  if (isDir && (await isGaokaoRawDir(path))) return checkItems(await importGaokao(path), path);
  const items: Item[] = [];
  for await (const { item } of readItemsFromPath(path)) items.push(item);
  return items;
}
