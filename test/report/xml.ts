/**
 * A strict little well-formedness check for the SVG we emit (elements, double-quoted attributes,
 * entities), so the unit tests need no XML library; the browser test parses with DOMParser too.
 * Returns the element names in document order; throws on the first problem.
 */
export function checkWellFormedXml(xml: string): string[] {
  const names: string[] = [];
  const stack: string[] = [];
  const entity = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/y;
  const checkText = (text: string, where: number) => {
    for (let i = 0; i < text.length; i++) {
      if (text[i] === "<") throw new Error(`stray "<" at ${where + i}`);
      if (text[i] === "&") {
        entity.lastIndex = i;
        if (!entity.test(text)) throw new Error(`bad entity at ${where + i}: ${text.slice(i, i + 10)}`);
      }
    }
  };
  const tag = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*="[^"]*")*)\s*(\/?)>/y;
  const attr = /([A-Za-z_][\w:.-]*)="([^"]*)"/g;
  let pos = 0;
  let roots = 0;
  while (pos < xml.length) {
    const lt = xml.indexOf("<", pos);
    const text = xml.slice(pos, lt < 0 ? xml.length : lt);
    if (stack.length === 0 && text.trim()) throw new Error(`text outside the root at ${pos}`);
    checkText(text, pos);
    if (lt < 0) break;
    tag.lastIndex = lt;
    const m = tag.exec(xml);
    if (!m) throw new Error(`malformed tag at ${lt}: ${xml.slice(lt, lt + 40)}`);
    const [whole, close, name, attrs, selfClose] = m;
    if (close) {
      if (attrs.trim() || selfClose) throw new Error(`malformed end tag at ${lt}`);
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> at ${lt} closes <${open}>`);
    } else {
      if (stack.length === 0 && ++roots > 1) throw new Error(`second root element <${name}> at ${lt}`);
      const seen = new Set<string>();
      for (const a of attrs.matchAll(attr)) {
        if (seen.has(a[1])) throw new Error(`duplicate attribute ${a[1]} on <${name}>`);
        seen.add(a[1]);
        checkText(a[2], lt);
      }
      names.push(name);
      if (!selfClose) stack.push(name);
    }
    pos = lt + whole.length;
  }
  if (stack.length) throw new Error(`unclosed <${stack.join("> <")}>`);
  if (roots !== 1) throw new Error("no root element");
  return names;
}
