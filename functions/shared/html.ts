/** HTML for pages and emails: every interpolated value goes through `escapeHtml`. */
const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (character) => entities[character] ?? character);
}

/** Tagged template that escapes every value, unless it is already `SafeHtml`. */
export class SafeHtml {
  readonly html: string;
  constructor(html: string) {
    this.html = html;
  }
  toString(): string {
    return this.html;
  }
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let result = strings[0] ?? '';
  values.forEach((value, index) => {
    result += renderValue(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(result);
}

function renderValue(value: unknown): string {
  if (value instanceof SafeHtml) return value.html;
  if (Array.isArray(value)) return value.map(renderValue).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeHtml(value);
}
