export * from './artifactStore';
export * from './localStore';
export * from './runLayout';
export * from './trainingPerformance';
export * from './stageEvent';
export * from './documents';
export * from './blockMoments';
