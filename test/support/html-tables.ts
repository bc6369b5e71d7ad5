// Reading the class page's tables back, from the HTML or from a browser's dumped DOM.
// The rows of the table inside `<section id="...">` of a document or a dumped DOM.
export function tableRows(html: string, sectionId: string): string[] {
  const start = html.indexOf(`<section id="${sectionId}">`);
  if (start < 0) return [];
  const section = html.slice(start, html.indexOf('</section>', start));
  const body = section.slice(section.indexOf('<tbody>'), section.indexOf('</tbody>'));
  return body.split('<tr>').slice(1);
}
