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
 * Streams items from an item file, a folder of item files, or a GAOKAO-Bench raw folder (imported
 * on the fly with official exam totals, the one case held in memory).
 */
export async function* streamItems(path: string): AsyncGenerator<Item> {
  let isDir = false;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch {
    throw new InputError({ file: path }, "file not found");
  }
  if (isDir && (await isGaokaoRawDir(path))) {
    yield* checkItems(await importGaokao(path), path);
    return;
  }
  for await (const { item } of readItemsFromPath(path)) yield item;
}

/** All items of a path (see `streamItems`). */
export async function loadItems(path: string): Promise<Item[]> {
  const items: Item[] = [];
  for await (const item of streamItems(path)) items.push(item);
  return items;
}
