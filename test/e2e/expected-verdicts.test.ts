import { describe, expect, it } from 'vitest';
import { VARIANTS } from '../../labs/netns/api.ts';
import { RESULT_KEYS } from '../support/exercise-results.ts';
import { EXPECTED_VERDICTS } from './expected-verdicts.ts';

describe('EXPECTED_VERDICTS', () => {
  it('has an expectation for every variant of the reference lab', () => {
    expect(Object.keys(EXPECTED_VERDICTS).sort()).toEqual([...VARIANTS].sort());
  });

  it.each(Object.keys(EXPECTED_VERDICTS))('%s names exactly the results of checks/exercise.yaml', (variant) => {
    expect(Object.keys(EXPECTED_VERDICTS[variant as keyof typeof EXPECTED_VERDICTS]).sort()).toEqual([...RESULT_KEYS].sort());
  });
});
