export * from './localPipeline';
