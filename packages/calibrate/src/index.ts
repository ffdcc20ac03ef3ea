export * from './markets';
export * from './runInMemory';
export * from './calibrate';
