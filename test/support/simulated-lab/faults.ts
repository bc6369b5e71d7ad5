// What can go wrong with one simulated VM. Connection faults act before any command: refuse-auth
// (every key refused), no-banner (TCP accepted, not one byte sent), wrong-host-key (the VM's port
// presents another key than the one in known_hosts). Command faults act on the commands they
// match (every command when no pattern is given): hang (the first bit of output, then the channel
// goes silent for good: no more output, no exit status, no close, whatever the wrapper's
// `timeout` would do, like a frozen VM), drop (the first bit of output, then the TCP connection is
// cut), flood (endless output as fast as SSH flow control lets it go), garbage (binary bytes,
// NULs, invalid UTF-8, ANSI sequences and characters XML forbids instead of the output, exit 0),
// inflate (every number standing alone in the output, after a space or a colon, raised by 10^9 more at each command it hits: counters a
// student invented, larger at every read).
export const CONNECT_FAULTS = ['refuse-auth', 'no-banner', 'wrong-host-key'] as const;
export const COMMAND_FAULTS = ['hang', 'drop', 'flood', 'garbage', 'inflate'] as const;
export type ConnectFaultKind = (typeof CONNECT_FAULTS)[number];
export type CommandFaultKind = (typeof COMMAND_FAULTS)[number];
export type FaultKind = ConnectFaultKind | CommandFaultKind;

export interface Fault {
  kind: FaultKind;
  /** Command faults only: the commands (as the check wrote them, unwrapped) it applies to. */
  command?: RegExp;
}

export type FaultSpec = FaultKind | Fault;

export function faultOf(spec: FaultSpec | undefined): Fault | undefined {
  return typeof spec === 'string' ? { kind: spec } : spec;
}

export function isConnectFault(fault: Fault | undefined): fault is Fault & { kind: ConnectFaultKind } {
  return fault !== undefined && (CONNECT_FAULTS as readonly string[]).includes(fault.kind);
}

export function appliesTo(fault: Fault | undefined, command: string): fault is Fault & { kind: CommandFaultKind } {
  return fault !== undefined && !isConnectFault(fault) && (fault.command === undefined || fault.command.test(command));
}

/** What `inflate` adds to every number, times the commands it hit so far. */
export const INFLATE_STEP = 1_000_000_000;

/** At most this much of a hanging or dropped command's output gets through. */
export const PARTIAL_OUTPUT_BYTES = 200;

// Everything a report must never show: ANSI CSI/OSC sequences, C0 and C1 controls, NUL, DEL,
// invalid UTF-8 (lone continuation bytes, an encoded surrogate, 0xFE/0xFF), U+FFFE and U+FFFF,
// XML's own specials, and every byte value once.
export const GARBAGE = Buffer.concat([
  Buffer.from('\x1b[1;31mRTNETLINK\x1b[0m answers: \x1b]0;owned\x07\x1b[2J\x1b[?25l'),
  Buffer.from([0x00, 0x01, 0x02, 0x07, 0x08, 0x0b, 0x0c, 0x0e, 0x1b, 0x1f, 0x7f, 0x00]),
  Buffer.from([0xc2, 0x9b, 0x33, 0x31, 0x6d, 0xc2, 0x85]), // C1 CSI "31m", C1 NEL
  Buffer.from([0xff, 0xfe, 0x80, 0xbf, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0xf8, 0x88, 0x80, 0x80, 0x80]),
  Buffer.from([0xef, 0xbf, 0xbe, 0xef, 0xbf, 0xbf]), // U+FFFE, U+FFFF
  Buffer.from(' ]]> <testcase> &amp; "\' \n'),
  Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
  Buffer.from('\n\x1b[32m64 bytes\x1b[0m\r\n'),
]);

/** One write of the flood: 64 KiB of text lines. */
export const FLOOD_CHUNK = Buffer.from('flood '.repeat(10).concat('\n').repeat(Math.ceil(65_536 / 61))).subarray(0, 65_536);
