// @ts-check
// The one DOM helper the modules share: an element with properties, data-* and children.
/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Partial<Omit<HTMLElementTagNameMap[K], "dataset" | "style">> & { dataset?: Record<string, string> }} [props]
 * @param {...(Node | string | null | undefined)} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export const el = (tag, { dataset = {}, ...props } = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  Object.assign(node.dataset, dataset);
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
};

// Text people typed (titles, speaker names, turns) is shown as written, marked data-verbatim
// like the server's own words: it is not the UI's to translate.
/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {string} text
 * @param {Partial<Omit<HTMLElementTagNameMap[K], "dataset" | "style">> & { dataset?: Record<string, string> }} [props]
 */
export const typed = (tag, text, props = {}) => el(tag, { ...props, textContent: text, dataset: { ...props.dataset, verbatim: "" } });
