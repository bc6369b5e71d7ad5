/// <reference lib="dom" />
// The board's and the student page's only script (bundled by scripts/build-web.mjs, served at
// /assets/board.js): when the server announces an attempt (server-sent events), it fetches the
// page's live part again, rendered and escaped by the server, and swaps it in. It never builds HTML
// from data itself, so nothing a student's VM sent can become markup here.

interface Notice {
  id: string;
  lab: string;
}

function focusKey(element: Element | null): string | undefined {
  if (!element || element === document.body) return undefined;
  if (element.id) return `#${CSS.escape(element.id)}`;
  const href = element.getAttribute('href');
  return href ? `a[href="${CSS.escape(href)}"]` : undefined;
}

function announce(text: string): void {
  const region = document.getElementById('announce');
  if (region) region.textContent = text;
}

function follow(live: HTMLElement, source: string, events: string): void {
  const pending = new Set<string>();
  let busy = false;
  let again = false;

  async function refresh(): Promise<void> {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    const labs = [...pending];
    pending.clear();
    try {
      const response = await fetch(source, { credentials: 'same-origin', headers: { Accept: 'text/html' } });
      if (response.ok) {
        const template = document.createElement('template');
        template.innerHTML = await response.text();
        const focused = live.contains(document.activeElement) ? focusKey(document.activeElement) : undefined;
        live.replaceChildren(template.content);
        if (focused) live.querySelector<HTMLElement>(focused)?.focus();
        for (const lab of labs) document.getElementById(`row-${lab}`)?.classList.add('updated');
        announce(labs.length > 0 ? `New attempt: ${labs.join(', ')}` : 'Updated');
        live.dataset.updatedAt = String(Date.now());
      } else if (response.status === 401 || response.status === 403) {
        announce('Your session ended: open your link again.');
      }
    } catch {
      announce('The server could not be reached; the page will update when it can.');
    } finally {
      busy = false;
      if (again) {
        again = false;
        void refresh();
      }
    }
  }

  const stream = new EventSource(events);
  stream.addEventListener('attempt', (event) => {
    const notice = JSON.parse((event as MessageEvent<string>).data) as Notice;
    if (live.dataset.lab !== undefined && live.dataset.lab !== notice.lab) return;
    pending.add(notice.lab);
    void refresh();
  });
  stream.addEventListener('open', () => {
    live.dataset.connected = 'true';
  });
}

function start(): void {
  const live = document.getElementById('live');
  const source = live?.dataset.live;
  const events = live?.dataset.events;
  if (live && source && events) follow(live, source, events);
}

start();
