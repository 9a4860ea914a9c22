// Secrets stay out of logs, manifests and error messages: a service URL (redis://user:pass@host,
// mqtt://user:pass@host) is shown without its user-info part wherever it is printed or recorded.

/** `url` without the `user:password@` after its `//`. */
export function withoutCredentials(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//');
}
