export * from './normal';
export * from './moments';
export * from './sharpe';
export * from './cscv';
export * from './bootstrap';
export * from './rank';
export * from './walkForward';
export * from './report';
