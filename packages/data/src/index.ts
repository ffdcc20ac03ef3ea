export * from './timestamps';
export * from './layouts';
export * from './inspect';
export * from './readPriceCsv';
export * from './synthetic';
export * from './writePriceCsv';
export * from './priceSource';
export * from './resample';
