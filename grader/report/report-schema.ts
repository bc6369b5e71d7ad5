import { fileURLToPath } from 'node:url';
import { REPORT_LIMITS as L } from '../core/report-bounds.ts';
import type { Status } from '../core/result.ts';
import { REVIEW_SIGNS } from '../core/lab-report.ts';
import { GENERATOR, JSON_SCHEMA_VERSION } from './json.ts';

export const REPORT_SCHEMA_ID = 'https://router-lab-grader.invalid/report.schema.json';
/** Where `npm run schema` writes it, for other tools reading the reports. */
export const REPORT_SCHEMA_PATH = fileURLToPath(new URL('./report.schema.json', import.meta.url));

export const STATUSES = ['pass', 'fail', 'error'] as const satisfies readonly Status[];

/** The most points a check can carry (as the check-file schema bounds them), times a generous count of results. */
const MAX_POINTS = 1000;
const MAX_RESULTS = 1000;
const MAX_SCORE = MAX_POINTS * MAX_RESULTS;
const MAX_DURATION_MS = 7 * 24 * 3600 * 1000;
const text = (maxLength: number) => ({ type: 'string', maxLength });
const LINE = text(L.line);
const count = { type: 'integer', minimum: 0, maximum: MAX_RESULTS };
const duration = { type: 'number', minimum: 0, maximum: MAX_DURATION_MS };

// The JSON report (json.ts) as a JSON Schema: every field the grader writes, typed and bounded.
// Other properties are allowed, so that a report with fields a later version adds still
// validates; relations between fields (sums, counts) are checked by validateKeptReport.
export const reportSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: REPORT_SCHEMA_ID,
  title: 'router-lab-grader report of one lab',
  type: 'object',
  required: ['schemaVersion', 'generator', 'lab', 'startedAt', 'durationMs', 'score', 'maxScore', 'summary', 'hosts', 'results'],
  properties: {
    schemaVersion: { const: JSON_SCHEMA_VERSION },
    generator: { const: GENERATOR },
    lab: { type: 'string', minLength: 1, maxLength: L.lab },
    startedAt: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$' },
    durationMs: duration,
    score: { type: 'number', minimum: 0, maximum: MAX_SCORE },
    maxScore: { type: 'number', minimum: 0, maximum: MAX_SCORE },
    summary: {
      type: 'object',
      required: ['pass', 'fail', 'error', 'total'],
      properties: { pass: count, fail: count, error: count, total: count },
    },
    hosts: {
      type: 'array',
      maxItems: L.hosts,
      items: {
        type: 'object',
        required: ['role', 'target', 'reachable'],
        properties: {
          role: text(L.name),
          target: text(L.target),
          reachable: { type: 'boolean' },
          error: LINE,
          managementInterface: text(L.name),
          internalInterfaces: { type: 'array', maxItems: L.interfacesPerHost, items: text(L.name) },
        },
      },
    },
    results: {
      type: 'array',
      maxItems: MAX_RESULTS,
      items: {
        type: 'object',
        required: ['id', 'kind', 'host', 'title', 'status', 'points', 'maxPoints', 'message', 'evidence', 'measurements', 'durationMs'],
        properties: {
          id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$', maxLength: 128 },
          kind: text(L.name),
          host: text(L.name),
          title: LINE,
          status: { enum: [...STATUSES] },
          points: { type: 'number', minimum: 0, maximum: MAX_POINTS },
          maxPoints: { type: 'number', minimum: 0, maximum: MAX_POINTS },
          // Why, as a code of the check's kind, and what about (a target, a NIC, a model, the path
          // seen): optional, as reports written before they were recorded have neither.
          reason: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$', maxLength: 64 },
          subject: { type: 'object', maxProperties: 64 },
          witnesses: {
            type: 'array',
            maxItems: 16,
            items: {
              type: 'object',
              required: ['name', 'detail'],
              properties: { name: text(256), agrees: { type: 'boolean' }, detail: LINE, problem: LINE, mustAnswer: { type: 'boolean' }, unreachable: text(64) },
            },
          },
          message: LINE,
          expected: LINE,
          actual: LINE,
          hint: LINE,
          evidence: {
            type: 'array',
            maxItems: L.evidencePerResult,
            items: {
              type: 'object',
              required: ['host', 'command', 'exitCode', 'output'],
              properties: {
                host: text(L.name),
                command: LINE,
                exitCode: { anyOf: [{ type: 'integer', minimum: -1, maximum: 255 }, { type: 'null' }] },
                output: text(L.evidenceOutput),
              },
            },
          },
          measurements: {
            type: 'object',
            maxProperties: L.measurementsPerResult,
            additionalProperties: { type: 'number', minimum: -L.measurementMagnitude, maximum: L.measurementMagnitude },
          },
          durationMs: duration,
        },
      },
    },
    review: {
      type: 'array',
      maxItems: L.reviewFlags,
      description: 'signs for the instructor to review: hooks and mounts a VM showed that could stand between the grader and its kernel (not a verdict)',
      items: {
        type: 'object',
        required: ['host', 'sign', 'what'],
        properties: {
          host: text(L.name),
          sign: { enum: [...REVIEW_SIGNS] },
          what: LINE,
          seen: { type: 'array', maxItems: L.reviewSeenLines, items: LINE },
        },
      },
    },
    evidenceBasis: {
      type: 'object',
      description: "what the verdicts rest on: the hypervisor's counters too, or what the VMs report only (and which results)",
      required: ['hypervisor', 'inVmOnly', 'note'],
      properties: { hypervisor: { type: 'boolean' }, inVmOnly: { type: 'array', maxItems: MAX_RESULTS, items: text(L.name + 129) }, note: LINE },
    },
    builtBy: { enum: ['netns', 'libvirt'], description: "the lab provider of the grading machine that built the lab (its inventory's origin); netns: network namespaces, no VirtIO NICs" },
    provenance: {
      type: 'object',
      required: ['checksDigest', 'graderVersion'],
      properties: {
        checksDigest: { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' },
        graderVersion: text(64),
        only: { type: 'array', maxItems: MAX_RESULTS, items: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$', maxLength: 128 } },
      },
    },
  },
} as const;
