import { describe, expect, it } from 'vitest';
import { fixture as recorded } from '../../test/support/test-files.ts';
import { parseIperf3Json } from './iperf3.ts';
import { ParseError } from './parse-error.ts';

const fixture = (name: string) => recorded(`iperf3/${name}`);

describe('parseIperf3Json', () => {
  it('reads a TCP test through the 20 Mbit/s router', () => {
    expect(parseIperf3Json(fixture('tcp-via-router.json'))).toStrictEqual({
      localHost: '10.0.1.2',
      remoteHost: '10.0.2.3',
      protocol: 'TCP',
      receiverMbps: 19.13084241718806,
      senderMbps: 22.26330143997584,
      durationSeconds: 2.005206,
      retransmits: 0,
    });
  });

  it('reads a UDP test at 10 Mbit/s', () => {
    const report = parseIperf3Json(fixture('udp-10mbit.json'));
    expect(report).toMatchObject({ protocol: 'UDP', lostPercent: 0, durationSeconds: 2.000162 });
    expect(report.receiverMbps).toBeCloseTo(9.996182, 5);
    expect(report.senderMbps).toBeCloseTo(9.996552, 5);
    expect(report.retransmits).toBeUndefined();
  });

  it('reads UDP from iperf3 before 3.10, which prints only end.sum', () => {
    // The real 3.12 report with the two summaries older versions lack taken out.
    const document = JSON.parse(fixture('udp-10mbit.json'));
    delete document.end.sum_sent;
    delete document.end.sum_received;
    const report = parseIperf3Json(JSON.stringify(document));
    expect(report.senderMbps).toBeCloseTo(9.996552, 5);
    expect(report.receiverMbps).toBeCloseTo(9.996552, 5); // lost_percent 0
  });

  it('reads the report of a `-s -J` server', () => {
    expect(parseIperf3Json(fixture('server-json-mode.json'))).toMatchObject({
      localHost: '10.0.2.3',
      remoteHost: '10.0.1.2',
      receiverMbps: 19.12945960269924,
    });
  });

  it.each([
    ['connection-refused.json', 'unable to connect to server: Connection refused'],
    ['server-busy.json', 'the server is busy running a test. try again later'],
  ])('reads the error iperf3 reports in valid JSON: %s', (name, error) => {
    expect(parseIperf3Json(fixture(name))).toStrictEqual({ error });
  });

  it.each(['empty.json', 'truncated.json', 'connection-refused-text.txt', 'server-after-test.txt'])(
    'throws ParseError on %s',
    (name) => {
      expect(() => parseIperf3Json(fixture(name))).toThrow(ParseError);
    },
  );
});
