// Errors a user can cause (bad data, bad config, bad request). They carry where the problem is so the
// CLI can print one actionable line and exit non-zero, and the dashboard can answer 4xx, without a stack trace.

export class InputError extends Error {
  /** Where the problem is: "file.csv:12:3", "--strategies", "event.runId". */
  readonly where: string | undefined;

  constructor(message: string, where?: string) {
    super(where ? `${where}: ${message}` : message);
    this.name = 'InputError';
    this.where = where;
  }
}

export const isInputError = (error: unknown): error is InputError => error instanceof InputError;
