// The quoting lives in core (grader/core/shell-quote.ts), where the diagnosis and the reports can
// use it too; transport's modules keep importing it from here.
export { quote, sh } from '../core/shell-quote.ts';
