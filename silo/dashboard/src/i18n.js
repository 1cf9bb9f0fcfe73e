// Every string on the page comes from i18n/{ko,en}.json; dates are shown in Asia/Seoul whatever the browser's zone.
import ko from './i18n/ko.json';
import en from './i18n/en.json';

const resources = { ko, en };
const listeners = [];
let lang = localStorage.getItem('safetynet.lang') || 'ko';

export function t(key, ...args) {
  const text = resources[lang][key] ?? key;
  return args.reduce((s, a, i) => s.replace(`{${i}}`, a), text);
}

/** Strings a view brings in its own files ({ ko: {...}, en: {...} }), so it need not edit the shared ones. */
export function addStrings(more) {
  for (const [language, strings] of Object.entries(more)) Object.assign(resources[language], strings);
}

/** A decision or revocation reason in the interface language; the server's explanation when the code is unknown. */
export function reasonText(reason, fallback) {
  const key = `reason.${reason}`;
  return key in resources[lang] ? t(key) : fallback || reason;
}

/** The string for key with each {name} filled from values; the fallback when this language has no such string. */
export function namedText(key, values, fallback) {
  const text = resources[lang][key];
  return text === undefined ? fallback : text.replace(/\{(\w+)\}/g, (placeholder, name) => values?.[name] ?? placeholder);
}

export function fmtDate(iso) {
  if (!iso) return '';
  return new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-GB',
    { timeZone: 'Asia/Seoul', dateStyle: 'short', timeStyle: 'medium' }).format(new Date(iso));
}

/** A datetime-local value (wall clock in Seoul, UTC+9 all year) as an ISO instant, or null when empty. */
export const seoulInputToIso = (value) => (value ? `${value.length === 16 ? `${value}:00` : value}+09:00` : null);

/** Re-renders a part of the page whenever the language changes. */
export const onLanguageChange = (render) => listeners.push(render);

export function applyLanguage() {
  document.documentElement.lang = lang;
  document.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
  for (const render of listeners) render();
}

export function toggleLanguage() {
  lang = lang === 'ko' ? 'en' : 'ko';
  localStorage.setItem('safetynet.lang', lang);
  applyLanguage();
}
