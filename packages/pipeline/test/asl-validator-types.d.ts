// asl-validator ships no types; this is the call the tests make.
declare module 'asl-validator' {
  export default function aslValidator(
    definition: unknown,
    options?: { checkArn?: boolean; checkPaths?: boolean },
  ): {
    isValid: boolean;
    errorsText: (separator?: string) => string;
  };
}
