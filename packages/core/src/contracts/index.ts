// One schema per contract (TypeBox, i.e. JSON Schema): the TypeScript types, the validation of every input and
// the limits a page shows all come from these.
export { assertNoProblems, check, problems } from './check';
export * from './runConfig';
export * from './runRequest';
export * from './strategy';
export * from './dataRef';
export * from './stageEvents';
export * from './finalizeEvent';
