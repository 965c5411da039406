/* troopmap dom: small helpers for text and elements. Every text from the user's CSV reaches
 * the page through textContent or escapeHtml, never as HTML; links only for http(s). */

export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, function (c) {
    return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
  });
}

export function safeUrl(url) {
  return /^https?:\/\/[^\s]+$/i.test(url || "") ? url : null;
}

export function el(tag, className, text) {
  var node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

export function hostOf(url) {
  var match = /^https?:\/\/([^/?#]+)/i.exec(url);
  return match ? match[1].replace(/^www\./, "") : url;
}

export function chunks(list, size) {
  var out = [];
  for (var i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
