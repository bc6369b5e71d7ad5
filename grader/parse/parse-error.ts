// The output was not what the tool prints: the check cannot be graded from it.
export class ParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParseError';
  }
}
