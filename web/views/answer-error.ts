/**
 * What to tell a merchandiser when a request the page makes with plain `fetch` (a file download,
 * which `api()` cannot do: it parses JSON) is refused: the API's own message ("token 7 is limited
 * to toys/*"), not only its status. No DOM here, so the API's unit tests check it.
 */
export function answerErrorText(status: number, body: string): string {
  try {
    const message = (JSON.parse(body) as { error?: { message?: unknown } } | null)?.error?.message;
    if (typeof message === 'string' && message.trim() !== '') return `${message} (HTTP ${status})`;
  } catch {
    // Not JSON (a proxy's error page): the status is all there is.
  }
  return `the API answered HTTP ${status}`;
}
