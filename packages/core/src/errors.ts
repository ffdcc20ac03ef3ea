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

/**
 * An artifact the pipeline itself wrote cannot be read back (truncated, wrong format, hand-edited). Not the
 * client's fault: the dashboard answers 500 and the CLI exit 1. `cause` keeps the parser's own error.
 */
export class CorruptArtifactError extends Error {
  /** The artifact's key in the store, e.g. "runs/<id>/results/training_performance.csv". */
  readonly key: string;

  constructor(key: string, message: string, options?: { cause?: unknown }) {
    super(`${key} is corrupt: ${message}`, options);
    this.name = 'CorruptArtifactError';
    this.key = key;
  }
}
