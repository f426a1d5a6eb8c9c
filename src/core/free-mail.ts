// Free email providers: an address there says nothing about someone's company, so "others at the
// same company" is never worked out for them. Pure; the list is the large consumer providers and
// their country domains.
const FREE = new Set([
  'gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'passport.com',
  'yahoo.com', 'ymail.com', 'rocketmail.com', 'aol.com', 'aim.com', 'icloud.com', 'me.com', 'mac.com',
  'proton.me', 'protonmail.com', 'pm.me', 'tutanota.com', 'tuta.io', 'zoho.com', 'zohomail.com', 'fastmail.com',
  'gmx.com', 'gmx.net', 'gmx.de', 'gmx.at', 'gmx.ch', 'web.de', 't-online.de', 'freenet.de', 'mail.com', 'email.com',
  'yandex.com', 'yandex.ru', 'ya.ru', 'mail.ru', 'inbox.ru', 'list.ru', 'bk.ru', 'rambler.ru',
  'qq.com', '163.com', '126.com', 'sina.com', 'sohu.com', 'naver.com', 'daum.net', 'hanmail.net',
  'orange.fr', 'wanadoo.fr', 'free.fr', 'laposte.net', 'sfr.fr', 'libero.it', 'virgilio.it', 'alice.it', 'tiscali.it',
  'btinternet.com', 'sky.com', 'virginmedia.com', 'comcast.net', 'verizon.net', 'att.net', 'sbcglobal.net', 'cox.net',
  'seznam.cz', 'wp.pl', 'o2.pl', 'interia.pl', 'onet.pl', 'terra.com.br', 'uol.com.br', 'bol.com.br', 'rediffmail.com',
]);
/** Providers with a domain per country (hotmail.co.uk, yahoo.es, outlook.de, live.fr…). */
const FREE_FAMILIES = /^(?:hotmail|outlook|live|yahoo|msn|gmx|aol|yandex)\.(?:[a-z]{2}|co\.[a-z]{2}|com\.[a-z]{2})$/;

export function isFreeMailDomain(domain: string): boolean {
  const d = domain.trim().toLowerCase();
  return FREE.has(d) || FREE_FAMILIES.test(d);
}

/** The domain of an address, lower-cased; '' when it has none. */
export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? '' : address.slice(at + 1).trim().toLowerCase();
}

/** The company domain of an address, or null for free mail, our own domains and addresses without one. */
export function companyDomain(address: string, ourDomains: readonly string[] = []): string | null {
  const d = domainOf(address);
  if (!d || isFreeMailDomain(d) || ourDomains.includes(d)) return null;
  return d;
}
