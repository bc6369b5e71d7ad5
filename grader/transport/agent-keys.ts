import ssh2 from 'ssh2';

const AGENT_WAIT_MS = 2_000;

// How many keys the ssh-agent at this socket holds (each is offered in turn, and each counts
// against the server's MaxAuthTries); undefined when the agent does not answer.
export function agentKeyCount(socketPath: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), AGENT_WAIT_MS);
    new ssh2.OpenSSHAgent(socketPath).getIdentities((error, keys) => {
      clearTimeout(timer);
      resolve(error ? undefined : (keys?.length ?? 0));
    });
  });
}
