export async function rescoreCommand(_argv: string[]): Promise<number> { return 2; }
