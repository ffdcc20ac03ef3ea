// Errors a user can cause (bad data, bad config, bad request). They carry where the problem is so the
// CLI can print one actionable line and exit non-zero, and the dashboard can answer 4xx, without a stack trace.

/** One thing wrong with an input: the field ("event.config.seed") and what is wrong with it. */
export interface Problem {
  where: string;
  message: string;
}

export class InputError extends Error {
  /** Where the (first) problem is: "file.csv:12:3", "option.strategies", "event.runId". */
  readonly where: string | undefined;
  /**
   * Every problem found, the first of which is `where` and the start of the message; one entry for a single problem.
   */
  readonly problems: readonly Problem[];

  constructor(message: string, where?: string, options?: { cause?: unknown; problems?: readonly Problem[] }) {
    const problems = options?.problems ?? [{ where: where ?? '', message }];
    const rest = problems.slice(1).map((p) => (p.where ? `${p.where}: ${p.message}` : p.message));
    super(
      [where ? `${where}: ${message}` : message, ...rest].join('; '),
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'InputError';
    this.where = where;
    this.problems = problems;
  }

  /** One error for several problems (at least one): `where` and the message start with the first. */
  static of(problems: readonly Problem[], cause?: unknown): InputError {
    const [first] = problems;
    return new InputError(first.message, first.where || undefined, { problems, cause });
  }

  /** The same problems named elsewhere (a temp copy's path → the file the user named); this error as `cause`. */
  relocated(rename: (where: string) => string): InputError {
    return InputError.of(
      this.problems.map((p) => ({ where: rename(p.where), message: p.message })),
      this,
    );
  }
}

export const isInputError = (error: unknown): error is InputError => error instanceof InputError;

/**
 * An error that crossed a process or Lambda boundary keeps only its name and message, so there, and only there,
 * the user's InputError is recognised by its name; in-process code uses instanceof (isInputError).
 */
export const isRemoteInputError = (name: string | undefined): boolean => name === 'InputError';

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
