import { createHash } from 'crypto';

/**
 * `<base>-<suffix>` as a DNS-1123 label; when longer than 63 characters it is shortened and a stable hash
 * of the full name is appended, so two long names never collide and the same input always gives the same name.
 */
export function childName(base: string, suffix?: string, maxLen = 63): string {
  const full = suffix ? `${base}-${suffix}` : base;
  if (full.length <= maxLen) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  const keep = full.slice(0, maxLen - hash.length - 1).replace(/-+$/, '');
  return `${keep}-${hash}`;
}

/** A construct id turned into a DNS-1123 label: `ProductPage` → `productpage`, `Orders_API` → `orders-api`. */
export function nameFromId(id: string): string {
  const s = id.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').replace(/-{2,}/g, '-');
  return childName(s || 'service');
}
