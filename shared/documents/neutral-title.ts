/**
 * The title a printed document carries where other people and machines can read it: the print
 * spooler's job list (the OS names a job after the page's <title>), the PDF's Title metadata, the
 * print server's page log. It names the kind of document only, never a passenger: the screens show
 * the full title from the job record, which is sealed at rest.
 */
const TITLE = /<title>[\s\S]*?<\/title>/i;

export function neutralTitle(kind: string): string {
  return `Backstop ${kind}`;
}

/** The document with its <title> replaced by the neutral one (added in <head> when it has none). */
export function withNeutralTitle(html: string, kind: string): string {
  const title = `<title>${neutralTitle(kind).replace(/[<>&]/g, '')}</title>`;
  if (TITLE.test(html)) return html.replace(TITLE, title);
  return /<head[^>]*>/i.test(html) ? html.replace(/<head[^>]*>/i, (head) => `${head}${title}`) : `${title}${html}`;
}
