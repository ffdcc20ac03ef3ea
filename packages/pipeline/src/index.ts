export * from './localPipeline';
export * from './manifest';
export * from './finalize';
export * from './stateMachine';
export * from './stepFunctionsLocal';
export * from './cloudRuns';
export * from './stageDefinitions';
