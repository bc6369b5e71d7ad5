// Reading a stored verdict's subject (JSON) field by field, without casts: a field of another
// type reads as absent.
import type { Subject, SubjectValue } from '../core/result.ts';

type Fields = Subject | { [key: string]: SubjectValue | undefined };

export function textOf(subject: Fields | undefined, key: string): string | undefined {
  const value = subject?.[key];
  return typeof value === 'string' ? value : undefined;
}

export function textsOf(subject: Fields | undefined, key: string): string[] {
  const value = subject?.[key];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function recordsOf(subject: Fields | undefined, key: string): Array<{ [key: string]: SubjectValue | undefined }> {
  const value = subject?.[key];
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is { [key: string]: SubjectValue | undefined } => typeof v === 'object' && v !== null && !Array.isArray(v));
}
