// The command sessions of one connection. A command takes an idle session; when every session is
// busy it waits a little for one to come free before it opens another, since opening a session
// costs the VM's sshd about as much as a short command takes (a fork, PAM, the login shell): the
// short commands of one VM then run one after another in one session, while a command that waits
// on something (an iperf3 server waiting for its client, a command that hangs) does not hold the
// others up for longer than that.
export interface PooledSession {
  /** Open (or opening) and not running a command. */
  readonly idle: boolean;
  close(): void;
  /** Ends an idle session the way a shell ends (end of input), waiting at most `waitMs`. */
  end(waitMs: number): Promise<void>;
}

/** How long a command waits for a busy session before it opens one of its own. */
export const SESSION_PATIENCE_MS = 100;

export class SessionPool<S extends PooledSession> {
  private readonly free: S[] = [];
  private readonly waiting: Array<(session: S | undefined) => void> = [];
  private open = 0;

  constructor(
    private readonly openSession: () => S,
    private readonly patienceMs = SESSION_PATIENCE_MS,
  ) {}

  async acquire(): Promise<S> {
    for (let session = this.free.pop(); session; session = this.free.pop()) {
      if (session.idle) return session;
      this.open--;
    }
    if (this.open > 0 && this.patienceMs > 0) {
      const handedOver = await new Promise<S | undefined>((resolve) => {
        const timer = setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(wait), 1);
          resolve(undefined);
        }, this.patienceMs);
        const wait = (session: S | undefined) => {
          clearTimeout(timer);
          resolve(session);
        };
        this.waiting.push(wait);
      });
      if (handedOver) return handedOver;
    }
    this.open++;
    return this.openSession();
  }

  /**
   * Opens `count` sessions at once, before any command needs them: the VM's login shell (its rc
   * files) then starts in each while the grader does other things, and the commands that later
   * run at the same time on this VM find a session that is ready rather than one they wait for.
   */
  prewarm(count: number): void {
    for (let i = 0; i < count; i++) {
      this.open++;
      this.free.push(this.openSession());
    }
  }

  /** Ends every idle session (at most `waitMs` each, all at once); busy ones are left to their commands. */
  async drain(waitMs: number): Promise<void> {
    const sessions = this.free.splice(0);
    this.open -= sessions.length;
    await Promise.all(sessions.map((session) => session.end(waitMs)));
  }

  /** Back from a command: to the next waiting command, or idle; closed when it cannot serve again. */
  release(session: S): void {
    if (!session.idle) {
      session.close();
      this.open--;
      return;
    }
    const next = this.waiting.shift();
    if (next) next(session);
    else this.free.push(session);
  }
}
