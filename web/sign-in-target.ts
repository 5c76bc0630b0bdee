// No DOM here: the API's unit tests import this file.

/** The page path a sign-in link asks for, or the scopes list. */
export function pageTarget(to: string | undefined): string {
  if (!to) return '/';
  let path: string;
  try {
    path = decodeURIComponent(to);
  } catch {
    return '/';
  }
  return /^\/[\w\-/.%?=&]*$/.test(path) && !path.startsWith('//') ? path : '/';
}
