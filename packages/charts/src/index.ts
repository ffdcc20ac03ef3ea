export { registeredFontFamilies, FONT_FAMILY, COLORS } from './render';
export * from './axes';
export * from './histogram';
export * from './comparison';
export * from './equityCurve';
export * from './scatter';
export * from './logits';
export * from './expectedMax';
export * from './walkForward';
